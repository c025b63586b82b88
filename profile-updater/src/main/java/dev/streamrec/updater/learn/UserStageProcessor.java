package dev.streamrec.updater.learn;

import dev.streamrec.schemas.Interaction;
import dev.streamrec.schemas.InteractionKind;
import dev.streamrec.schemas.ItemUpdate;
import dev.streamrec.schemas.ModelMetrics;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserFactors;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.model.GlobalMean;
import dev.streamrec.updater.model.Hyperparameters;
import dev.streamrec.updater.model.ImplicitFeedback;
import dev.streamrec.updater.model.InitialFactors;
import dev.streamrec.updater.model.ItemStep;
import dev.streamrec.updater.model.PrequentialEvaluator;
import dev.streamrec.updater.model.PrequentialSnapshot;
import dev.streamrec.updater.model.SgdStep;
import dev.streamrec.updater.model.UserLearning;
import dev.streamrec.updater.model.UserParameters;
import dev.streamrec.updater.model.UserSideLearner;
import dev.streamrec.updater.profile.ProfileStep;
import dev.streamrec.updater.profile.UserItems;
import dev.streamrec.updater.ranking.RankedItems;
import dev.streamrec.updater.ranking.ServingRanker;
import dev.streamrec.updater.ranking.UserQuery;
import dev.streamrec.updater.recommend.RecommendationBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user stage, keyed (partitioned) by user id: tests, learns, and refreshes recommendations.
 *
 * <p>For each interaction of a user not flagged anomalous, in this order:
 * <ol>
 *   <li>test (prequential): the rating error of the current prediction, and for a positive on an
 *       item new to the user, the item's rank in the user's current top 20 (history excluded);</li>
 *   <li>train: one SGD step on p_u and b_u (plus sampled negatives), the item sides sent on as
 *       {@link ItemUpdate}s keyed by item id to the item stage;</li>
 *   <li>mark the user dirty. Every refresh interval (wall clock) dirty users whose last refresh is
 *       older than the per-user minimum are scored in batches, up to a bound per round, and their
 *       {@link Recommendations} published; the minimum keeps a very active user from starving the
 *       others.</li>
 * </ol>
 * Then, for every interaction, anomalous or not, it stores the profile the profile step computed,
 * with the user's factors in it, and publishes it to {@code profiles.users}.
 * Every metrics interval it publishes a {@link ModelMetrics} summary of this task.
 *
 * <p>Stores: {@code profile-store} (userId → UserProfile with its UserFactors, read by the profile
 * step and written here), {@code user-stage-state-store} (μ's count and sum, and the refresh
 * watermark), and read-only {@code user-items-store} (histories too long for the profile). Item
 * parameters come from this instance's {@link ItemModel}.
 *
 * <p>Users awaiting a list survive a restart, a rebalance or an aborted transaction without a
 * store of their own (which cost two changelog appends per event: the mark and its deletion).
 * After every refresh round the processor records a watermark W: the oldest ingest time among the
 * users it left waiting, or the round's wall-clock time when it left none. W is committed
 * atomically with the profiles (exactly-once), and every user whose events are not yet reflected
 * in a committed list has a profile updated at or after W: either the event was processed after
 * the round (so its profile time is later than the round's clock) or the user was left waiting
 * (so W is at most the ingest time of that event, which precedes its processing). At init the
 * processor therefore re-marks every user whose profile changed at or after W. Users refreshed
 * just before W are re-marked too, which is only a repeated list.
 *
 * <p>A round scores at most {@link #usersPerRound} users and carries the rest over, still waiting
 * (so W covers them): after a restart with no watermark every profile of the task is due at once,
 * and scoring them all in one punctuation outlasted the exactly-once transaction timeout, which
 * aborted, revived the task and marked them all again. A user whose list cannot be built is logged
 * and left out of the round; the others of the batch still get theirs. Outputs one record type per
 * destination: UserProfile (key user id), ItemUpdate (key item id), Recommendations (key user id),
 * ModelMetrics (key task id).
 */
public final class UserStageProcessor implements Processor<String, ProfileStep, String, SpecificRecord> {
    private static final Logger LOG = LoggerFactory.getLogger(UserStageProcessor.class);
    private static final String MU_COUNT = "mu.count";
    private static final String MU_SUM = "mu.sum";
    /** Epoch ms, stored as a double beside μ (exact below 2^53 ms). */
    private static final String REFRESH_WATERMARK = "refresh.watermark";
    /**
     * Profiles changed this long before the watermark are re-marked as well: the watermark and the
     * profiles' times both come from the owning instance's wall clock, which may step back a little.
     */
    private static final long CLOCK_STEP_MARGIN_MS = 1_000;
    /**
     * Users scored together: the matrix (or each probed cluster) is read once per batch, and with
     * a cluster index a cluster's users share its rows, so bigger batches score faster per user
     * (measured: 27 µs per user at 256, 19 µs at 1,024, 10,000 items × rank 64).
     */
    private static final int REFRESH_BATCH = 1024;
    /**
     * Users one refresh round may score, per 100 ms of refresh interval, and the bounds of that
     * figure. A round runs inside one transaction under exactly-once, which the broker aborts after
     * 10 s (Kafka Streams' transaction.timeout.ms): at ~37 µs per user (scoring and building the
     * list) the bounds are 0.15 s and 1.2 s per round. At the default 100 ms interval that is still
     * 40,000 lists per second per task, more than a stream thread's events can make due.
     */
    private static final int USERS_PER_ROUND_PER_100_MS = 4 * REFRESH_BATCH;
    private static final int MIN_USERS_PER_ROUND = 4 * REFRESH_BATCH;
    private static final int MAX_USERS_PER_ROUND = 32 * REFRESH_BATCH;
    /** Users named in the log line of a refresh batch some of whose lists could not be built. */
    private static final int FAILED_USERS_LOGGED = 10;

    private final UpdaterConfig config;
    private final Hyperparameters hyperparameters;
    private final ItemModel model;
    private final Names names;
    /** Claims the item stage's discarded steps not yet reported ({@link ItemStage#takeDiscardedSteps}). */
    private final LongSupplier itemSideDiscards;
    private final SgdStep sgd;
    private final UserSideLearner learner;
    private final RecommendationBuilder recommender;
    private final ServingRanker testRanker;
    private final PrequentialEvaluator evaluator;
    private final int usersPerRound;
    /**
     * Users to refresh, with the ingest time of their oldest event not yet reflected in a list;
     * rebuilt at init from the profiles changed since the committed refresh watermark.
     */
    private final Map<String, Pending> dirty = new LinkedHashMap<>();
    /** Last refresh time of users refreshed within the minimum interval (older entries are dropped). */
    private final Map<String, Long> lastRefresh = new HashMap<>();
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, Double> stageState;
    private KeyValueStore<String, UserProfile> profiles;
    private KeyValueStore<String, Integer> userItems;
    private GlobalMean mu;
    private SplittableRandom random;
    private long discardedSteps;
    /** Item-stage discards this task claimed for its reports ({@link #itemSideDiscards}). */
    private long itemSideDiscardedSteps;
    /** Whether this task has logged a user whose stored factors do not fit the model's dimensions. */
    private boolean factorSizeMismatchLogged;
    private PrequentialMetrics qualityMetrics;

    /**
     * A user awaiting a list: the ingest time of their oldest event not yet reflected, and their
     * latest profile and factors as the last event left them, so a refresh reads neither store
     * (null when not known in memory: re-marked at init, or no event learned from yet).
     */
    private static final class Pending {
        private final long triggerIngestTime;
        private UserProfile profile;
        private UserParameters factors;
        /** Item → kind flags of every item the user has touched, or null when not read whole. */
        private Map<String, Integer> history;

        private Pending(final long triggerIngestTime) {
            this.triggerIngestTime = triggerIngestTime;
        }
    }

    /** The store names this processor uses. */
    public record Names(String stageState, String profiles, String userItems) {
    }

    /**
     * @param itemSideDiscards the item stage of the same topology's {@link ItemStage#takeDiscardedSteps}:
     *                         the tasks of one instance share that stage and claim each of its
     *                         discards once between them
     */
    public UserStageProcessor(final UpdaterConfig config, final ItemModel model, final Names names,
                              final LongSupplier itemSideDiscards) {
        this(config, model, names, itemSideDiscards, usersPerRound(config.recommendations().refreshInterval().toMillis()));
    }

    /** With {@code usersPerRound} users scored per refresh round at most (tests use a small one). */
    UserStageProcessor(final UpdaterConfig config, final ItemModel model, final Names names,
                       final LongSupplier itemSideDiscards, final int usersPerRound) {
        if (usersPerRound < 1) {
            throw new IllegalArgumentException("usersPerRound must be at least 1, was " + usersPerRound);
        }
        this.usersPerRound = usersPerRound;
        this.config = config;
        this.hyperparameters = config.model();
        this.model = model;
        this.names = names;
        this.itemSideDiscards = itemSideDiscards;
        this.sgd = new SgdStep(hyperparameters);
        this.learner = new UserSideLearner(sgd);
        this.recommender = new RecommendationBuilder(model, config.recommendations());
        this.testRanker = new ServingRanker(20, config.recommendations().candidates().probes(), model.candidateIndex());
        this.evaluator = new PrequentialEvaluator(config.metrics().window());
    }

    /** {@link #USERS_PER_ROUND_PER_100_MS} per 100 ms of interval, within the bounds. */
    static int usersPerRound(final long refreshIntervalMs) {
        final long scaled = Math.max(1, refreshIntervalMs) * USERS_PER_ROUND_PER_100_MS / 100;
        return (int) Math.max(MIN_USERS_PER_ROUND, Math.min(MAX_USERS_PER_ROUND, scaled));
    }

    @Override
    public void init(final ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.stageState = context.getStateStore(names.stageState());
        this.profiles = context.getStateStore(names.profiles());
        this.userItems = context.getStateStore(names.userItems());
        markUsersChangedSinceWatermark();
        final Double count = stageState.get(MU_COUNT);
        final Double sum = stageState.get(MU_SUM);
        final double prior = (hyperparameters.minRating() + hyperparameters.maxRating()) / 2.0;
        this.mu = count == null ? new GlobalMean(prior) : GlobalMean.restore(prior, count.longValue(), sum);
        // Seeded by task so a replay of the same input samples the same negatives.
        this.random = new SplittableRandom(InitialFactors.stableHash(context.taskId().toString()));
        context.schedule(config.recommendations().refreshInterval(), PunctuationType.WALL_CLOCK_TIME, this::refresh);
        context.schedule(config.metrics().interval(), PunctuationType.WALL_CLOCK_TIME, this::publishMetrics);
        this.qualityMetrics = new PrequentialMetrics(context.metrics(), context.taskId().toString());
    }

    @Override
    public void close() {
        qualityMetrics.close();
    }

    @Override
    public void process(final Record<String, ProfileStep> record) {
        final ProfileStep step = record.value();
        final Interaction event = step.interaction();
        final String userId = event.getUserId();
        // Later events keep the older trigger time.
        final Pending pending = dirty.computeIfAbsent(userId, id -> new Pending(event.getIngestTime().toEpochMilli()));
        final UserProfile profile = step.profile();
        pending.profile = profile;
        pending.history = step.history(); // this event's item included; null for long histories
        if (!event.getAnomalous()) { // anomalous events are counted in the profile, not learned from
            final UserFactors stored = profile.getFactors();
            final UserParameters user = learn(record, step, stored, pending.history);
            profile.setFactors(Conversions.userRecord(userId, user, (stored == null ? 0 : stored.getUpdateCount()) + 1));
            pending.factors = user;
        }
        profiles.put(userId, profile); // serialised here: the store keeps the de-duplication memory
        // Downstream consumers have no use for the updater's de-duplication memory (up to 512 bytes).
        profile.setRecentEvents(null);
        context.forward(new Record<>(userId, profile, record.timestamp()));
    }

    /** Tests, then trains on one event; returns the user's new parameters and sends the item steps on. */
    private UserParameters learn(final Record<String, ProfileStep> record, final ProfileStep step, final UserFactors stored,
                                 final Map<String, Integer> history) {
        final Interaction event = step.interaction();
        final String userId = event.getUserId();
        final UserParameters fromStore = stored == null ? null : storedParameters(userId, stored);
        final UserParameters user = fromStore != null ? fromStore : UserParameters.initial(userId, hyperparameters);
        final Predicate<String> seen = history != null ? history::containsKey : candidate -> seen(userId, candidate);

        if (isPositive(event) && step.newItemForUser() && sampled(event)) {
            evaluator.recordRank(rankInCurrentTopN(user, event.getItemId(),
                    (history != null ? history : history(userId)).keySet()));
        }
        final UserLearning learning;
        if (event.getKind() == InteractionKind.RATING) {
            learning = learner.learnRating(user, event.getItemId(), (float) event.getValue(), mu.mean(), model, model,
                    seen, random);
            evaluator.recordRating(event.getValue(), learning.prediction());
            mu.add(event.getValue());
            stageState.put(MU_COUNT, (double) mu.count());
            stageState.put(MU_SUM, mu.sum());
        } else {
            final ImplicitFeedback feedback = event.getKind() == InteractionKind.PURCHASE
                    ? ImplicitFeedback.PURCHASE : ImplicitFeedback.CLICK;
            learning = learner.learnInteraction(user, event.getItemId(), feedback, model, model,
                    seen, random);
        }
        discardedSteps += learning.discardedSteps();

        boolean positiveSent = false;
        for (final ItemStep itemStep : learning.itemSteps()) {
            // The first interaction step of an event is its observed positive; later ones are negatives.
            final boolean positive = !positiveSent && itemStep.kind() == ItemStep.Kind.INTERACTION
                    && itemStep.itemId().equals(event.getItemId());
            positiveSent |= positive;
            context.forward(new Record<>(itemStep.itemId(), Conversions.update(itemStep, positive, event.getEventId(),
                    model.versionOf(itemStep.itemId()), record.timestamp()), record.timestamp()));
        }
        return user;
    }

    /**
     * The user's parameters as stored, or null when their factors do not have the model's
     * dimensions: stored before {@code model.rank} (or {@code model.sharing}) changed. Read as they
     * are, a longer vector would be silently misread and a shorter one would throw on every event
     * of the user; such a user starts afresh instead, bias and rating count included, because the
     * count also sets the factors' warm-up rate, which new factors need.
     */
    private UserParameters storedParameters(final String userId, final UserFactors stored) {
        final int size = stored.getFactors().size();
        if (size == hyperparameters.dimensions()) {
            return Conversions.user(stored);
        }
        if (!factorSizeMismatchLogged) {
            factorSizeMismatchLogged = true;
            LOG.warn("Task {}: user {} has {} stored factors but the model has {} dimensions (model.rank {} changed "
                    + "since they were stored, or model.sharing): such users start their factors afresh; "
                    + "further ones in this task are not logged", context.taskId(), userId, size,
                    hyperparameters.dimensions(), hyperparameters.rank());
        }
        return null;
    }

    private boolean isPositive(final Interaction event) {
        return event.getKind() != InteractionKind.RATING || event.getValue() >= config.metrics().positiveMinRating();
    }

    /** A deterministic share of positives (by event id), so the test cost is bounded on large catalogues. */
    private boolean sampled(final Interaction event) {
        final double rate = config.metrics().sampleRate();
        if (rate >= 1) {
            return true;
        }
        return (InitialFactors.stableHash(event.getEventId()) >>> 11) * 0x1.0p-53 < rate;
    }

    private boolean seen(final String userId, final String itemId) {
        return userItems.get(UserItems.key(userId, itemId)) != null;
    }

    /** The whole history of a user whose history the profile step did not read whole: a long one, in the store. */
    private Map<String, Integer> history(final String userId) {
        return UserItems.scan(userItems, userId);
    }

    /** 1-based rank of the item in the user's top 20 before learning from it, or past 20 when absent. */
    private int rankInCurrentTopN(final UserParameters user, final String itemId, final Set<String> items) {
        final Set<String> history = new HashSet<>(items);
        history.remove(itemId); // the profile step has already recorded this event's item
        final RankedItems top = testRanker.topN(model.matrix(),
                UserQuery.excluding(model.matrix(), model.projection().query(user), history));
        final List<String> ids = top.itemIds(model.matrix());
        final int index = ids.indexOf(itemId);
        return index < 0 ? Integer.MAX_VALUE : index + 1;
    }

    /**
     * Users whose events were committed before a restart, a rebalance or an aborted transaction
     * but whose list may not have been: they are refreshed at the next punctuation. Their trigger
     * time is the watermark (no unreflected event is older), or, before any refresh round was
     * committed, the profile's time.
     */
    private void markUsersChangedSinceWatermark() {
        final Double stored = stageState.get(REFRESH_WATERMARK);
        final long watermark = stored == null ? Long.MIN_VALUE : stored.longValue();
        final long since = stored == null ? Long.MIN_VALUE : watermark - CLOCK_STEP_MARGIN_MS;
        try (KeyValueIterator<String, UserProfile> all = profiles.all()) {
            all.forEachRemaining(entry -> {
                final long changedAt = entry.value.getUpdatedAt().toEpochMilli();
                if (changedAt >= since) {
                    dirty.put(entry.key, new Pending(stored == null ? changedAt : Math.min(watermark, changedAt)));
                }
            });
        }
    }

    /**
     * One refresh round: up to {@link #usersPerRound} dirty users not refreshed within the
     * per-user minimum get a list, in batches; the rest stay dirty for a later round. Then the
     * watermark: the oldest trigger time of every user still waiting, else {@code now}.
     */
    private void refresh(final long now) {
        lastRefresh.values().removeIf(at -> now - at >= config.recommendations().minUserInterval().toMillis());
        final List<String> due = new ArrayList<>(Math.min(dirty.size(), usersPerRound));
        long watermark = now;
        for (final Map.Entry<String, Pending> entry : dirty.entrySet()) {
            if (due.size() < usersPerRound && !lastRefresh.containsKey(entry.getKey())) {
                due.add(entry.getKey());
            } else { // refreshed too recently, or beyond this round's share: waits for a later round
                watermark = Math.min(watermark, entry.getValue().triggerIngestTime);
            }
        }
        for (int from = 0; from < due.size(); from += REFRESH_BATCH) {
            refreshBatch(due.subList(from, Math.min(due.size(), from + REFRESH_BATCH)), now);
        }
        stageState.put(REFRESH_WATERMARK, (double) watermark);
    }

    /**
     * Lists for {@code userIds}, all of them dirty. A user whose list cannot be built is logged and
     * left out until their next event, rather than failing the round for the whole batch (and being
     * retried every round, holding the watermark back); the batch is then built user by user.
     */
    private void refreshBatch(final List<String> userIds, final long now) {
        final List<RecommendationBuilder.Request> requests = new ArrayList<>(userIds.size());
        final Map<String, RuntimeException> failed = new LinkedHashMap<>();
        for (final String userId : userIds) {
            final Pending pending = dirty.remove(userId);
            try {
                requests.add(request(userId, pending));
            } catch (final StreamsException e) {
                throw e; // a store of the task failed, not this user's data: the task fails as it would on an event
            } catch (final RuntimeException e) {
                failed.put(userId, e);
            }
        }
        List<Recommendations> lists;
        try {
            lists = recommender.build(requests, now);
        } catch (final StreamsException e) {
            throw e;
        } catch (final RuntimeException batchFailure) { // find whose: one by one
            lists = new ArrayList<>(requests.size());
            for (final RecommendationBuilder.Request request : requests) {
                try {
                    lists.addAll(recommender.build(List.of(request), now));
                } catch (final StreamsException e) {
                    throw e;
                } catch (final RuntimeException e) {
                    failed.put(request.userId(), e);
                }
            }
        }
        for (final Recommendations recommendations : lists) {
            lastRefresh.put(recommendations.getUserId(), now); // paced from now on; those left out are not
            context.forward(new Record<>(recommendations.getUserId(), recommendations, now));
        }
        if (!failed.isEmpty()) {
            LOG.error("Task {}: no list could be built for {} of {} users of a refresh batch; they are left out until "
                    + "their next event: {}; the first failure:", context.taskId(), failed.size(), userIds.size(),
                    failed.keySet().stream().limit(FAILED_USERS_LOGGED).toList(), failed.values().iterator().next());
        }
    }

    private RecommendationBuilder.Request request(final String userId, final Pending pending) {
        final UserProfile profile = pending.profile != null ? pending.profile : profiles.get(userId);
        UserParameters factors = pending.factors;
        if (factors == null && profile != null && profile.getFactors() != null) {
            factors = storedParameters(userId, profile.getFactors()); // null, as for a new user, when stale
        }
        final float[] query = factors == null ? null : model.projection().query(factors);
        final Set<String> excluded = new HashSet<>();
        final Map<String, Integer> items = pending.history != null ? pending.history
                : profile != null && profile.getItemHistory() != null ? profile.getItemHistory() : history(userId);
        items.forEach((itemId, flags) -> {
            if (UserItems.has(flags, InteractionKind.PURCHASE) || UserItems.has(flags, InteractionKind.RATING)
                    || (config.recommendations().excludeClicked() && UserItems.has(flags, InteractionKind.CLICK))) {
                excluded.add(itemId);
            }
        });
        return new RecommendationBuilder.Request(userId, profile, query, excluded, pending.triggerIngestTime);
    }

    private void publishMetrics(final long now) {
        final PrequentialSnapshot s = evaluator.snapshot();
        final String taskId = context.taskId().toString();
        // The item stage's discards are counted per instance: each is claimed by one task's report,
        // so the sum over tasks counts it once (adding the instance's total to every task counted it
        // N times).
        itemSideDiscardedSteps += itemSideDiscards.getAsLong();
        final long discarded = discardedSteps + itemSideDiscardedSteps;
        qualityMetrics.record(s, discarded, model.matrix().modelVersion(),
                model.matrix().size(), now);
        context.forward(new Record<>(taskId, ModelMetrics.newBuilder()
                .setTaskId(taskId).setEmittedAt(Instant.ofEpochMilli(now))
                .setRatingsScored(s.ratingsScored()).setRmse(s.rmse()).setMae(s.mae()).setWindowRmse(s.windowRmse()).setWindowMae(s.windowMae())
                .setPositivesScored(s.positivesScored()).setRecallAt10(s.recallAt10()).setRecallAt20(s.recallAt20())
                .setWindowRecallAt10(s.windowRecallAt10()).setWindowRecallAt20(s.windowRecallAt20())
                .setDiscardedSteps(discarded)
                .build(), now));
    }
}
