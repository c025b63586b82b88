package dev.streamrec.updater.model;

import dev.streamrec.updater.PlantedRatings;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Online learning of a planted low-rank model, through the same split the topology uses: the user
 * side reads an item view and emits an {@link ItemStep}; the item side applies it later (here
 * after {@value #ITEM_DELAY} further steps, standing in for the repartition hop), so the user
 * side always reads slightly stale item vectors.
 *
 * <p>Ratings r = μ + b_u + b_i + p_u·q_i + ε, ε ~ N(0, σ²), σ = {@value #NOISE}. No estimator can
 * beat σ in expectation, so the prequential RMSE over the last 20 % of events must lie in
 * [0.95 σ, 1.25 σ]: the lower edge catches a leak of the answer into the prediction, the upper
 * one a learner that does not find the structure. Why 25 %: with about 500 ratings per user and
 * 1,000 per item, the least-squares estimation error of 9 parameters per side is only a few
 * percent of σ; the rest of the margin is for constant-step SGD, which does not converge but
 * hovers around the optimum with an excess error that grows with η (Bottou 2010, "Large-scale
 * machine learning with stochastic gradient descent"), and for the stale item reads. A single pass
 * needs a large factor rate (η_f = 0.1) to leave the near-zero start at all, so that excess is
 * material: expect roughly 1.15–1.2 σ. Biases alone sit near 2.1 σ with the planted factor
 * variance, which the test also checks so that the band cannot be met by the biases alone.
 */
class ConvergenceTest {
    private static final int USERS = 2_000;
    private static final int ITEMS = 1_000;
    private static final int RANK = 8;
    private static final double NOISE = 0.5;
    private static final int EVENTS = 1_000_000;
    private static final int ITEM_DELAY = 64;
    private static final float MU = 3.5f;

    @Test
    void prequentialRmseApproachesTheNoiseFloorWithTheSplitStep() {
        final PlantedRatings planted = new PlantedRatings(20240607L, USERS, ITEMS, RANK, MU, NOISE);

        // Ratings are unbounded here, so the clamp must not bite; implicit loss off (the planted
        // structure is explicit only).
        final Hyperparameters hp = Hyperparameters.defaults().toBuilder().rank(RANK).sharing(FactorSharing.SHARED)
                .factorLearningRate(0.1f).factorRegularization(0.02f).userBiasLearningRate(0.01f)
                .itemBiasLearningRate(0.01f).biasWarmup(5f).biasRegularization(0.01f).initialScale(0.1f)
                .ratingInteractionWeight(0f).negativesPerPositive(0).minRating(-100f).maxRating(100f).build();
        final SgdStep step = new SgdStep(hp);
        final UserParameters[] users = new UserParameters[USERS];
        final ItemParameters[] items = new ItemParameters[ITEMS];
        for (int u = 0; u < USERS; u++) {
            users[u] = UserParameters.initial("user-" + u, hp);
        }
        for (int i = 0; i < ITEMS; i++) {
            items[i] = ItemParameters.initial("item-" + i, hp);
        }
        final GlobalMean globalMean = new GlobalMean(0.0);
        final PrequentialEvaluator tail = new PrequentialEvaluator(EVENTS / 5);
        final PrequentialEvaluator biasOnlyTail = new PrequentialEvaluator(EVENTS / 5);
        final ArrayDeque<ItemStep> inFlight = new ArrayDeque<>();
        int discarded = 0;

        for (int event = 0; event < EVENTS; event++) {
            final PlantedRatings.Rating drawn = planted.next();
            final int u = drawn.user();
            final int i = drawn.item();
            final float rating = (float) drawn.value();
            final float mu = globalMean.mean();

            biasOnlyTail.recordRating(rating, mu + users[u].bias() + items[i].ratingBias());
            final UserStepResult result = step.ratingUserSide(users[u], items[i], "item-" + i, rating, mu);
            tail.recordRating(rating, result.prediction());
            if (result.discarded()) {
                discarded++;
            } else {
                inFlight.add(result.itemStep());
            }
            while (inFlight.size() > ITEM_DELAY) {
                final ItemStep message = inFlight.poll();
                final int item = Integer.parseInt(message.itemId().substring("item-".length()));
                if (step.applyItemSide(items[item], message) == StepOutcome.DISCARDED) {
                    discarded++;
                }
            }
            globalMean.add(rating);
        }

        final double tailRmse = tail.snapshot().windowRmse();
        assertThat(discarded).isZero();
        assertThat(tailRmse).as("prequential RMSE over the last 20%% of events vs noise σ = %s", NOISE)
                .isBetween(0.95 * NOISE, 1.25 * NOISE);
        assertThat(biasOnlyTail.snapshot().windowRmse()).as("biases alone must not explain the data")
                .isGreaterThan(1.6 * NOISE);
    }
}
