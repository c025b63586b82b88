package dev.streamrec.bench.model;

import dev.streamrec.updater.model.GlobalMean;
import dev.streamrec.updater.model.Hyperparameters;
import dev.streamrec.updater.model.ItemParameters;
import dev.streamrec.updater.model.ItemStep;
import dev.streamrec.updater.model.PopularitySampler;
import dev.streamrec.updater.model.PrequentialEvaluator;
import dev.streamrec.updater.model.PrequentialSnapshot;
import dev.streamrec.updater.model.SgdStep;
import dev.streamrec.updater.model.StepOutcome;
import dev.streamrec.updater.model.UserLearning;
import dev.streamrec.updater.model.UserParameters;
import dev.streamrec.updater.model.UserSideLearner;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One prequential replay of a rating stream through the same user-side / item-side calls the
 * topology makes, without Kafka: per event, score first (rating prediction, rank of the item
 * among the items seen so far minus the user's history), then learn.
 *
 * <p>Recall protocol (incremental, as in Vinagre et al. 2014): an event is a positive when its
 * rating is 5 (and, separately, ≥ 4); events whose item the user already has are skipped; the
 * first {@code unscoredPrefix} events are not scored; an item never seen before cannot be ranked
 * and counts as a miss for every model. Ties in score are broken towards the item seen first, for
 * the model and the popularity baseline alike.
 */
public final class ReplayRun {
    private final List<RatingEvent> events;
    private final ReplayOptions options;

    private final Map<String, Integer> userIndex = new HashMap<>();
    private final List<BitSet> userHistory = new ArrayList<>();
    private final Map<String, Integer> itemIndex = new HashMap<>();
    private final List<String> itemIds = new ArrayList<>();
    private int[] interactionCounts = new int[2048];

    public ReplayRun(final List<RatingEvent> events, final ReplayOptions options) {
        this.events = events;
        this.options = options;
    }

    /** User and item parameters of one model, with the item-side messages still in flight. */
    private final class ModelWorld {
        final SgdStep step;
        final UserSideLearner learner;
        final PopularitySampler sampler;
        final SplittableRandom random;
        final List<UserParameters> users = new ArrayList<>();
        final List<ItemParameters> items = new ArrayList<>();
        final ArrayDeque<ItemStep> inFlight = new ArrayDeque<>();
        long discarded;

        ModelWorld(final Hyperparameters hyperparameters, final long seed) {
            step = new SgdStep(hyperparameters);
            learner = new UserSideLearner(step);
            sampler = new PopularitySampler(hyperparameters.samplingExponent());
            random = new SplittableRandom(seed);
        }

        UserParameters user(final int index, final String userId) {
            while (users.size() <= index) {
                users.add(null);
            }
            UserParameters user = users.get(index);
            if (user == null) {
                user = UserParameters.initial(userId, step.hyperparameters());
                users.set(index, user);
            }
            return user;
        }

        ItemParameters item(final String itemId) {
            final int index = itemIndexOf(itemId);
            while (items.size() <= index) {
                items.add(ItemParameters.initial(itemIds.get(items.size()), step.hyperparameters()));
            }
            return items.get(index);
        }

        void learn(final UserParameters user, final BitSet history, final RatingEvent event, final float mu) {
            final UserLearning learning = learner.learnRating(user, event.itemId(), event.rating(), mu,
                    this::item, sampler, candidate -> history.get(itemIndex.get(candidate)), random);
            discarded += learning.discardedSteps();
            inFlight.addAll(learning.itemSteps());
            while (inFlight.size() > options.itemDelay()) {
                final ItemStep itemStep = inFlight.poll();
                if (step.applyItemSide(item(itemStep.itemId()), itemStep) == StepOutcome.DISCARDED) {
                    discarded++;
                }
            }
            sampler.recordInteraction(event.itemId());
        }
    }

    public ReplayFigures run() {
        final ModelWorld model = new ModelWorld(options.model(), options.seed());
        final ModelWorld biasBaseline = new ModelWorld(options.biasBaseline(), options.seed());
        final GlobalMean globalMean = new GlobalMean(0.5 * (options.model().minRating() + options.model().maxRating()));
        final PrequentialEvaluator modelRatings = new PrequentialEvaluator(10_000);
        final PrequentialEvaluator biasRatings = new PrequentialEvaluator(10_000);
        final PrequentialEvaluator meanRatings = new PrequentialEvaluator(10_000);
        final PrequentialEvaluator modelFive = new PrequentialEvaluator(10_000);
        final PrequentialEvaluator modelFourPlus = new PrequentialEvaluator(10_000);
        final PrequentialEvaluator popularityFive = new PrequentialEvaluator(10_000);
        final PrequentialEvaluator popularityFourPlus = new PrequentialEvaluator(10_000);
        final int limit = options.eventLimit() > 0 ? Math.min(options.eventLimit(), events.size()) : events.size();
        final float topRating = options.model().maxRating();
        long trainingNanos = 0;
        final long start = System.nanoTime();

        for (int e = 0; e < limit; e++) {
            final RatingEvent event = events.get(e);
            final int user = userIndexOf(event.userId());
            final int item = itemIndexOf(event.itemId());
            final BitSet history = userHistory.get(user);
            final UserParameters modelUser = model.user(user, event.userId());
            final UserParameters baselineUser = biasBaseline.user(user, event.userId());
            final float mu = globalMean.mean();

            // Test ...
            modelRatings.recordRating(event.rating(), model.step.predictRating(modelUser, model.item(event.itemId()), mu));
            biasRatings.recordRating(event.rating(),
                    biasBaseline.step.predictRating(baselineUser, biasBaseline.item(event.itemId()), mu));
            meanRatings.recordRating(event.rating(),
                    Math.max(options.model().minRating(), Math.min(topRating, mu)));
            final boolean fourPlus = event.rating() >= topRating - 1f;
            if (options.scoreRecall() && e >= options.unscoredPrefix() && fourPlus && !history.get(item)) {
                final Ranks ranks = rank(model, modelUser, history, item);
                modelFourPlus.recordRank(ranks.model());
                popularityFourPlus.recordRank(ranks.popularity());
                if (event.rating() >= topRating) {
                    modelFive.recordRank(ranks.model());
                    popularityFive.recordRank(ranks.popularity());
                }
            }

            // ... then train.
            final long trainingStart = System.nanoTime();
            model.learn(modelUser, history, event, mu);
            trainingNanos += System.nanoTime() - trainingStart;
            biasBaseline.learn(baselineUser, history, event, mu);
            globalMean.add(event.rating());
            history.set(item);
            interactionCounts[item]++;
        }
        final double seconds = (System.nanoTime() - start) / 1e9;

        final PrequentialSnapshot modelSnapshot = modelRatings.snapshot();
        final PrequentialSnapshot biasSnapshot = biasRatings.snapshot();
        final PrequentialSnapshot meanSnapshot = meanRatings.snapshot();
        return new ReplayFigures(modelSnapshot.ratingsScored(), modelSnapshot.rmse(), modelSnapshot.mae(),
                biasSnapshot.rmse(), biasSnapshot.mae(), meanSnapshot.rmse(), meanSnapshot.mae(),
                modelFive.snapshot().positivesScored(), modelFourPlus.snapshot().positivesScored(),
                recall(modelFive, modelFourPlus), recall(popularityFive, popularityFourPlus),
                model.discarded, limit / seconds, limit / (trainingNanos / 1e9));
    }

    private record Ranks(int model, int popularity) {
    }

    /**
     * 1-based ranks of {@code target} among the items seen so far that the user has not had, by
     * model ranking score and by interaction count.
     */
    private Ranks rank(final ModelWorld model, final UserParameters user, final BitSet history, final int target) {
        if (interactionCounts[target] == 0) {
            return new Ranks(PrequentialEvaluator.NOT_RANKED, PrequentialEvaluator.NOT_RANKED);
        }
        final SgdStep step = model.step;
        final float targetScore = step.rankingScore(user, model.items.get(target));
        final int targetCount = interactionCounts[target];
        int modelRank = 1;
        int popularityRank = 1;
        for (int j = 0, n = itemIds.size(); j < n; j++) {
            final int count = interactionCounts[j];
            if (count == 0 || j == target || history.get(j)) {
                continue;
            }
            final float score = step.rankingScore(user, model.items.get(j));
            if (score > targetScore || (score == targetScore && j < target)) {
                modelRank++;
            }
            if (count > targetCount || (count == targetCount && j < target)) {
                popularityRank++;
            }
        }
        return new Ranks(modelRank, popularityRank);
    }

    private static ReplayFigures.Recall recall(final PrequentialEvaluator five, final PrequentialEvaluator fourPlus) {
        final PrequentialSnapshot atFive = five.snapshot();
        final PrequentialSnapshot atFourPlus = fourPlus.snapshot();
        return new ReplayFigures.Recall(atFive.recallAt10(), atFive.recallAt20(),
                atFourPlus.recallAt10(), atFourPlus.recallAt20());
    }

    private int userIndexOf(final String userId) {
        return userIndex.computeIfAbsent(userId, id -> {
            userHistory.add(new BitSet());
            return userHistory.size() - 1;
        });
    }

    private int itemIndexOf(final String itemId) {
        final Integer known = itemIndex.get(itemId);
        if (known != null) {
            return known;
        }
        final int index = itemIds.size();
        itemIndex.put(itemId, index);
        itemIds.add(itemId);
        if (index >= interactionCounts.length) {
            interactionCounts = java.util.Arrays.copyOf(interactionCounts, interactionCounts.length * 2);
        }
        return index;
    }
}
