package dev.streamrec.updater.model;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever the inputs and rates, nothing non-finite may leave a step; dropped steps are reported. */
class SgdStepStabilityTest {
    private static final int RANK = 16;

    private static boolean allFinite(final float[] values) {
        for (final float value : values) {
            if (!Float.isFinite(value)) {
                return false;
            }
        }
        return true;
    }

    private static float norm(final float[] values) {
        double sum = 0;
        for (final float value : values) {
            sum += (double) value * value;
        }
        return (float) Math.sqrt(sum);
    }

    @Test
    void hugeLearningRatesAndInputsNeverProduceNonFiniteValues() {
        final Hyperparameters hp = Hyperparameters.defaults().toBuilder().rank(RANK)
                .factorLearningRate(1e30f).biasLearningRate(1e30f).factorRegularization(1e10f).build();
        final SgdStep step = new SgdStep(hp);
        final SplittableRandom random = new SplittableRandom(1);
        int discarded = 0;
        int steps = 0;
        for (int trial = 0; trial < 200; trial++) {
            final float magnitude = (float) Math.pow(10, random.nextInt(39));
            final float[] p = new float[RANK];
            final float[] q = new float[RANK];
            for (int f = 0; f < RANK; f++) {
                p[f] = (float) (random.nextDouble() * 2 - 1) * magnitude;
                q[f] = (float) (random.nextDouble() * 2 - 1) * magnitude;
            }
            final UserParameters user = new UserParameters(p, magnitude);
            final ItemParameters item = new ItemParameters(q, -magnitude, magnitude);
            final UserStepResult rating = step.ratingUserSide(user, item, "i", 5f, 3f);
            final UserStepResult interaction = step.interactionUserSide(user, item, "i", 0f, 1f);
            for (final UserStepResult result : new UserStepResult[] {rating, interaction}) {
                steps++;
                assertThat(Float.isFinite(result.prediction())).isTrue();
                if (result.discarded()) {
                    discarded++;
                    assertThat(result.itemStep()).isNull();
                } else {
                    assertThat(step.applyItemSide(item, result.itemStep())).isNotNull();
                }
            }
            assertThat(allFinite(user.factors())).as("user factors, trial %d", trial).isTrue();
            assertThat(allFinite(item.factors())).as("item factors, trial %d", trial).isTrue();
            assertThat(Float.isFinite(user.bias()) && Float.isFinite(item.ratingBias())
                    && Float.isFinite(item.interactionBias())).isTrue();
        }
        assertThat(discarded).as("some of %d absurd steps must have been dropped", steps).isPositive();
    }

    @Test
    void aDiscardedUserStepLeavesTheUserUnchanged() {
        final Hyperparameters hp = Hyperparameters.defaults().toBuilder().rank(RANK).factorLearningRate(1e38f)
                .factorRegularization(0f).build();
        final SgdStep step = new SgdStep(hp);
        final float[] p = new float[RANK];
        final float[] q = new float[RANK];
        java.util.Arrays.fill(p, 1e30f);
        java.util.Arrays.fill(q, 1e30f);
        final UserParameters user = new UserParameters(p.clone(), 0.5f);

        final UserStepResult result = step.ratingUserSide(user, new ItemParameters(q, 0f, 0f), "i", 1f, 3f);

        assertThat(result.discarded()).isTrue();
        assertThat(result.itemStep()).isNull();
        assertThat(user.factors()).containsExactly(p);
        assertThat(user.bias()).isEqualTo(0.5f);
    }

    @Test
    void aCorruptMessageIsDiscardedAndTheItemIsLeftAlone() {
        final Hyperparameters hp = Hyperparameters.defaults().toBuilder().rank(RANK).build();
        final SgdStep step = new SgdStep(hp);
        final float[] q = InitialFactors.initialItemFactors("item", hp);
        final ItemParameters item = new ItemParameters(q.clone(), 0.1f, 0.2f);
        final float[] poisoned = new float[RANK];
        poisoned[3] = Float.NaN;

        assertThat(step.applyItemSide(item, new ItemStep("item", ItemStep.Kind.RATING, poisoned, 1f)))
                .isEqualTo(StepOutcome.DISCARDED);
        assertThat(step.applyItemSide(item, new ItemStep("item", ItemStep.Kind.INTERACTION, new float[RANK],
                Float.POSITIVE_INFINITY))).isEqualTo(StepOutcome.DISCARDED);
        assertThat(item.factors()).containsExactly(q);
        assertThat(item.ratingBias()).isEqualTo(0.1f);
        assertThat(item.interactionBias()).isEqualTo(0.2f);
    }

    @Test
    void factorNormsAndBiasesStayWithinTheirBounds() {
        final Hyperparameters hp = Hyperparameters.defaults().toBuilder().rank(RANK).factorLearningRate(5f)
                .biasLearningRate(5f).factorRegularization(0f).biasRegularization(0f)
                .maxFactorNorm(3f).maxBias(2f).maxError(50f).build();
        final SgdStep step = new SgdStep(hp);
        final UserParameters user = UserParameters.initial("u", hp);
        final ItemParameters item = ItemParameters.initial("i", hp);
        for (int n = 0; n < 50; n++) {
            final UserStepResult result = step.ratingUserSide(user, item, "i", n % 2 == 0 ? 5f : 1f, 3f);
            if (!result.discarded()) {
                step.applyItemSide(item, result.itemStep());
            }
            assertThat(norm(user.factors())).isLessThanOrEqualTo(3f * 1.0001f);
            assertThat(norm(item.factors())).isLessThanOrEqualTo(3f * 1.0001f);
            assertThat(Math.abs(user.bias())).isLessThanOrEqualTo(2f);
            assertThat(Math.abs(item.ratingBias())).isLessThanOrEqualTo(2f);
        }
    }
}
