package dev.streamrec.updater.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each half of the step must move its parameters by exactly −η times the gradient of the loss
 * stated in {@link SgdStep}'s Javadoc. The gradient here is not derived by hand: it is a central
 * finite difference of that loss, computed in double precision, so a sign, a factor or a missing
 * regularisation term in the step shows up as a mismatch.
 */
class SgdStepGradientTest {
    // 13 = one 8-float vector plus a scalar tail: both code paths of the vector kernels.
    private static final int RANK = 13;
    private static final double H = 1e-4;
    private static final float FACTOR_RATE = 0.01f;
    private static final float BIAS_RATE = 0.02f;

    private static Hyperparameters hyperparameters(final FactorSharing sharing) {
        return Hyperparameters.defaults().toBuilder().rank(RANK).sharing(sharing)
                .factorLearningRate(FACTOR_RATE).userBiasLearningRate(BIAS_RATE).itemBiasLearningRate(BIAS_RATE)
                .factorRegularization(0.07f).biasRegularization(0.03f).ratingWeight(1.5f)
                .biasWarmup(0f).factorWarmup(0f).factorStepBound(0f)
                .maxError(100f).maxFactorNorm(100f).maxBias(100f).build();
    }

    private static float[] randomVector(final SplittableRandom random, final int length) {
        final float[] vector = new float[length];
        for (int f = 0; f < length; f++) {
            vector[f] = (float) (random.nextDouble() * 1.2 - 0.6);
        }
        return vector;
    }

    /** Parameters of one (user, item) pair as doubles, so the loss can be perturbed precisely. */
    private record Point(double[] p, double[] q, double userBias, double itemBias) {
    }

    private static double dot(final double[] a, final double[] b, final int offset) {
        double sum = 0;
        for (int f = offset; f < offset + RANK; f++) {
            sum += a[f] * b[f];
        }
        return sum;
    }

    private static double squaredNorm(final double[] a, final int offset) {
        double sum = 0;
        for (int f = offset; f < offset + RANK; f++) {
            sum += a[f] * a[f];
        }
        return sum;
    }

    /** L = w/2 (r − r̂)² + λ_f/2 (|p|² + |q|²) + λ_b/2 (b_u² + b_i²), r̂ = μ + b_u + b_i + p·q. */
    private static double ratingLoss(final Hyperparameters hp, final Point x, final double rating, final double mu) {
        final int offset = hp.sharing().ratingOffset(RANK);
        final double error = rating - (mu + x.userBias() + x.itemBias() + dot(x.p(), x.q(), offset));
        return hp.ratingWeight() / 2 * error * error
                + hp.factorRegularization() / 2 * (squaredNorm(x.p(), offset) + squaredNorm(x.q(), offset))
                + hp.biasRegularization() / 2 * (x.userBias() * x.userBias() + x.itemBias() * x.itemBias());
    }

    /** L = w/2 (y − x̂)² + λ_f/2 (|p|² + |q|²) + λ_b/2 c², x̂ = c + p·q; itemBias plays c here. */
    private static double interactionLoss(final Hyperparameters hp, final Point x, final double target,
                                          final double weight) {
        final int offset = hp.sharing().interactionOffset(RANK);
        final double error = target - (x.itemBias() + dot(x.p(), x.q(), offset));
        return weight / 2 * error * error
                + hp.factorRegularization() / 2 * (squaredNorm(x.p(), offset) + squaredNorm(x.q(), offset))
                + hp.biasRegularization() / 2 * x.itemBias() * x.itemBias();
    }

    @FunctionalInterface
    private interface Loss {
        double at(Point x);
    }

    private static double[] toDouble(final float[] values) {
        final double[] result = new double[values.length];
        for (int f = 0; f < values.length; f++) {
            result[f] = values[f];
        }
        return result;
    }

    /** Central differences of the loss in every p and q coordinate and both biases. */
    private static Point numericGradient(final Loss loss, final Point at) {
        final double[] gp = new double[at.p().length];
        final double[] gq = new double[at.q().length];
        for (int f = 0; f < at.p().length; f++) {
            final double[] plus = at.p().clone();
            final double[] minus = at.p().clone();
            plus[f] += H;
            minus[f] -= H;
            gp[f] = (loss.at(new Point(plus, at.q(), at.userBias(), at.itemBias()))
                    - loss.at(new Point(minus, at.q(), at.userBias(), at.itemBias()))) / (2 * H);
            final double[] qPlus = at.q().clone();
            final double[] qMinus = at.q().clone();
            qPlus[f] += H;
            qMinus[f] -= H;
            gq[f] = (loss.at(new Point(at.p(), qPlus, at.userBias(), at.itemBias()))
                    - loss.at(new Point(at.p(), qMinus, at.userBias(), at.itemBias()))) / (2 * H);
        }
        final double gUserBias = (loss.at(new Point(at.p(), at.q(), at.userBias() + H, at.itemBias()))
                - loss.at(new Point(at.p(), at.q(), at.userBias() - H, at.itemBias()))) / (2 * H);
        final double gItemBias = (loss.at(new Point(at.p(), at.q(), at.userBias(), at.itemBias() + H))
                - loss.at(new Point(at.p(), at.q(), at.userBias(), at.itemBias() - H))) / (2 * H);
        return new Point(gp, gq, gUserBias, gItemBias);
    }

    private static void assertMovedByMinusRateTimesGradient(final float[] after, final float[] before,
                                                            final double[] gradient, final float rate) {
        for (int f = 0; f < after.length; f++) {
            assertThat((double) after[f] - before[f]).as("coordinate %d", f)
                    .isCloseTo(-rate * gradient[f], within(2e-6 + 1e-3 * Math.abs(rate * gradient[f])));
        }
    }

    @ParameterizedTest
    @EnumSource(FactorSharing.class)
    void ratingStepFollowsTheNegativeGradientOnBothSides(final FactorSharing sharing) {
        final Hyperparameters hp = hyperparameters(sharing);
        final SgdStep step = new SgdStep(hp);
        final SplittableRandom random = new SplittableRandom(7);
        final int dims = hp.dimensions();
        final UserParameters user = new UserParameters(randomVector(random, dims), 0.3f);
        final ItemParameters item = new ItemParameters(randomVector(random, dims), -0.2f, 0.4f);
        final float rating = 4.5f;
        final float mu = 3.4f;
        final Point start = new Point(toDouble(user.factors()), toDouble(item.factors()), user.bias(), item.ratingBias());
        final Point gradient = numericGradient(x -> ratingLoss(hp, x, rating, mu), start);
        final float[] userBefore = user.factors().clone();
        final float[] itemBefore = item.factors().clone();
        final float interactionBiasBefore = item.interactionBias();

        final UserStepResult result = step.ratingUserSide(user, item, "i", rating, mu);
        assertThat(result.discarded()).isFalse();
        assertThat(item.factors()).as("the user side must not write the item").containsExactly(itemBefore);
        assertMovedByMinusRateTimesGradient(user.factors(), userBefore, gradient.p(), FACTOR_RATE);
        assertThat((double) user.bias() - start.userBias())
                .isCloseTo(-BIAS_RATE * gradient.userBias(), within(1e-6));

        assertThat(step.applyItemSide(item, result.itemStep())).isEqualTo(StepOutcome.APPLIED);
        assertMovedByMinusRateTimesGradient(item.factors(), itemBefore, gradient.q(), FACTOR_RATE);
        assertThat((double) item.ratingBias() - start.itemBias())
                .isCloseTo(-BIAS_RATE * gradient.itemBias(), within(1e-6));
        assertThat(item.interactionBias()).isEqualTo(interactionBiasBefore);
    }

    @ParameterizedTest
    @EnumSource(FactorSharing.class)
    void interactionStepFollowsTheNegativeGradientForPositivesAndNegatives(final FactorSharing sharing) {
        final Hyperparameters hp = hyperparameters(sharing);
        final SgdStep step = new SgdStep(hp);
        final SplittableRandom random = new SplittableRandom(11);
        final int dims = hp.dimensions();
        for (final float target : new float[] {1f, 0f}) {
            final float weight = target == 1f ? 2.5f : 0.75f;
            final UserParameters user = new UserParameters(randomVector(random, dims), 0.3f);
            final ItemParameters item = new ItemParameters(randomVector(random, dims), -0.2f, 0.4f);
            final Point start = new Point(toDouble(user.factors()), toDouble(item.factors()), 0, item.interactionBias());
            final Point gradient = numericGradient(x -> interactionLoss(hp, x, target, weight), start);
            final float[] userBefore = user.factors().clone();
            final float[] itemBefore = item.factors().clone();

            final UserStepResult result = step.interactionUserSide(user, item, "i", target, weight);
            assertThat(result.discarded()).isFalse();
            assertThat(user.bias()).as("interactions have no user term").isEqualTo(0.3f);
            assertMovedByMinusRateTimesGradient(user.factors(), userBefore, gradient.p(), FACTOR_RATE);

            assertThat(step.applyItemSide(item, result.itemStep())).isEqualTo(StepOutcome.APPLIED);
            assertMovedByMinusRateTimesGradient(item.factors(), itemBefore, gradient.q(), FACTOR_RATE);
            assertThat((double) item.interactionBias() - start.itemBias())
                    .isCloseTo(-BIAS_RATE * gradient.itemBias(), within(1e-6));
            assertThat(item.ratingBias()).isEqualTo(-0.2f);
        }
    }

    @Test
    void separateSharingKeepsEachLossOnItsOwnSlice() {
        final Hyperparameters hp = hyperparameters(FactorSharing.SEPARATE);
        final SgdStep step = new SgdStep(hp);
        final SplittableRandom random = new SplittableRandom(3);
        final UserParameters user = new UserParameters(randomVector(random, 2 * RANK), 0f);
        final ItemParameters item = new ItemParameters(randomVector(random, 2 * RANK), 0f, 0f);
        final float[] userBefore = user.factors().clone();
        final float[] itemBefore = item.factors().clone();

        step.applyItemSide(item, step.ratingUserSide(user, item, "i", 5f, 3f).itemStep());
        for (int f = RANK; f < 2 * RANK; f++) {
            assertThat(user.factors()[f]).isEqualTo(userBefore[f]);
            assertThat(item.factors()[f]).isEqualTo(itemBefore[f]);
        }
        final float[] userAfterRating = user.factors().clone();
        final float[] itemAfterRating = item.factors().clone();
        step.applyItemSide(item, step.interactionUserSide(user, item, "i", 1f, 1f).itemStep());
        for (int f = 0; f < RANK; f++) {
            assertThat(user.factors()[f]).isEqualTo(userAfterRating[f]);
            assertThat(item.factors()[f]).isEqualTo(itemAfterRating[f]);
        }
    }

    @Test
    void itemStepCarriesTheUserVectorFromBeforeTheUserSideAndTheWeightedError() {
        final Hyperparameters hp = hyperparameters(FactorSharing.SHARED);
        final SgdStep step = new SgdStep(hp);
        final SplittableRandom random = new SplittableRandom(5);
        final UserParameters user = new UserParameters(randomVector(random, RANK), 0.1f);
        final ItemParameters item = new ItemParameters(randomVector(random, RANK), 0.2f, 0f);
        final float[] before = user.factors().clone();
        final float mu = 3f;
        final float expectedError = 4f - (mu + 0.1f + 0.2f + (float) dot(toDouble(before), toDouble(item.factors()), 0));

        final ItemStep message = step.ratingUserSide(user, item, "item-9", 4f, mu).itemStep();

        assertThat(message.itemId()).isEqualTo("item-9");
        assertThat(message.kind()).isEqualTo(ItemStep.Kind.RATING);
        assertThat(message.userFactors()).containsExactly(before);
        assertThat(message.userFactors()).isNotSameAs(user.factors());
        assertThat(message.gradientScale()).isCloseTo(hp.ratingWeight() * expectedError, within(1e-5f));
    }

    /**
     * With the factor warm-up on, each side's rating slice must move by −η(n)∇, η(n) the rate for
     * that entity's own rating count: a user with 2 ratings and an item with 12 here.
     */
    @ParameterizedTest
    @EnumSource(FactorSharing.class)
    void warmedUpRatingStepUsesEachSidesOwnScheduledRate(final FactorSharing sharing) {
        final Hyperparameters hp = hyperparameters(sharing).toBuilder()
                .factorWarmup(4f).factorWarmupRate(0.2f).build();
        final SgdStep step = new SgdStep(hp);
        final SplittableRandom random = new SplittableRandom(13);
        final int dims = hp.dimensions();
        final UserParameters user = new UserParameters(randomVector(random, dims), 0.3f, 2L);
        final ItemParameters item = new ItemParameters(randomVector(random, dims), -0.2f, 0.4f, 12L);
        final float rating = 1.5f;
        final float mu = 3.4f;
        final Point start = new Point(toDouble(user.factors()), toDouble(item.factors()), user.bias(), item.ratingBias());
        final Point gradient = numericGradient(x -> ratingLoss(hp, x, rating, mu), start);
        final float[] userBefore = user.factors().clone();
        final float[] itemBefore = item.factors().clone();
        final float userRate = 0.2f * 4f / (2f + 4f);
        final float itemRate = 0.2f * 4f / (12f + 4f);

        final UserStepResult result = step.ratingUserSide(user, item, "i", rating, mu);
        assertThat(step.applyItemSide(item, result.itemStep())).isEqualTo(StepOutcome.APPLIED);

        assertMovedByMinusRateTimesGradient(user.factors(), userBefore, gradient.p(), userRate);
        assertMovedByMinusRateTimesGradient(item.factors(), itemBefore, gradient.q(), itemRate);
        assertThat(user.ratingCount()).isEqualTo(3L);
        assertThat(item.ratingCount()).isEqualTo(13L);
    }

    @Test
    void factorWarmupRateHalvesAfterWarmupStepsAndStopsAtTheFloor() {
        final SgdStep step = new SgdStep(hyperparameters(FactorSharing.SHARED).toBuilder()
                .factorWarmup(30f).factorWarmupRate(0.5f).build());
        assertThat(step.ratingFactorRate(0L)).isCloseTo(0.5f, within(1e-7f));
        assertThat(step.ratingFactorRate(30L)).isCloseTo(0.25f, within(1e-7f));
        assertThat(step.ratingFactorRate(1_000_000L)).as("floor η_f").isEqualTo(FACTOR_RATE);
        assertThat(new SgdStep(hyperparameters(FactorSharing.SHARED)).ratingFactorRate(0L))
                .as("factorWarmup = 0 switches the schedule off").isEqualTo(FACTOR_RATE);
    }

    /**
     * Long partner vectors: the rate must be capped at τ/|partner|² on each side (the user side's
     * partner is q_i, the item side's is p_u as sent), and then the step is still −η∇ exactly.
     */
    @ParameterizedTest
    @EnumSource(FactorSharing.class)
    void stepBoundCapsEachSidesRateByItsPartnersSquaredNorm(final FactorSharing sharing) {
        final float bound = 0.05f;
        final Hyperparameters hp = hyperparameters(sharing).toBuilder().factorLearningRate(0.2f)
                .factorStepBound(bound).build();
        final SgdStep step = new SgdStep(hp);
        final SplittableRandom random = new SplittableRandom(17);
        final int dims = hp.dimensions();
        final int offset = sharing.ratingOffset(RANK);
        final float[] p = randomVector(random, dims);
        final float[] q = randomVector(random, dims);
        for (int f = 0; f < dims; f++) {
            p[f] *= 3f;
            q[f] *= 4f;
        }
        final UserParameters user = new UserParameters(p, 0.3f);
        final ItemParameters item = new ItemParameters(q, -0.2f, 0.4f);
        final Point start = new Point(toDouble(p), toDouble(q), user.bias(), item.ratingBias());
        final Point gradient = numericGradient(x -> ratingLoss(hp, x, 5f, 3f), start);
        final float userRate = (float) (bound / squaredNorm(start.q(), offset));
        final float itemRate = (float) (bound / squaredNorm(start.p(), offset));
        assertThat(userRate).as("the cap must bind in this test").isLessThan(0.2f);
        assertThat(itemRate).as("the cap must bind in this test").isLessThan(0.2f);
        final float[] userBefore = p.clone();
        final float[] itemBefore = q.clone();

        final UserStepResult result = step.ratingUserSide(user, item, "i", 5f, 3f);
        assertThat(step.applyItemSide(item, result.itemStep())).isEqualTo(StepOutcome.APPLIED);

        assertMovedByMinusRateTimesGradient(user.factors(), userBefore, gradient.p(), userRate);
        assertMovedByMinusRateTimesGradient(item.factors(), itemBefore, gradient.q(), itemRate);
    }

    /** Without regularisation, the user side alone removes exactly the share w·τ of the error on its pair. */
    @Test
    void cappedUserStepRemovesTheBoundedShareOfTheError() {
        final float bound = 0.1f;
        final Hyperparameters hp = hyperparameters(FactorSharing.SHARED).toBuilder().factorLearningRate(5f)
                .factorRegularization(0f).factorStepBound(bound).build();
        final SgdStep step = new SgdStep(hp);
        final SplittableRandom random = new SplittableRandom(19);
        final float[] q = randomVector(random, RANK);
        final UserParameters user = new UserParameters(randomVector(random, RANK), 0f);
        final ItemParameters item = new ItemParameters(q, 0f, 0f);
        final double errorBefore = 4.0 - 3.0 - dot(toDouble(user.factors()), toDouble(q), 0);

        step.ratingUserSide(user, item, "i", 4f, 3f);

        final double errorAfter = 4.0 - 3.0 - dot(toDouble(user.factors()), toDouble(q), 0);
        assertThat(errorAfter / errorBefore).isCloseTo(1.0 - hp.ratingWeight() * bound, within(1e-4));
    }

    /** The norm after the step is computed from the moments before it; a projected vector must land on the sphere. */
    @Test
    void projectedStepLandsOnTheNormBound() {
        final Hyperparameters hp = hyperparameters(FactorSharing.SHARED).toBuilder().factorLearningRate(0.5f)
                .factorRegularization(0f).maxFactorNorm(1f).build();
        final SgdStep step = new SgdStep(hp);
        final SplittableRandom random = new SplittableRandom(23);
        final UserParameters user = new UserParameters(randomVector(random, RANK), 0f);
        final ItemParameters item = new ItemParameters(randomVector(random, RANK), 0f, 0f);

        final UserStepResult result = step.ratingUserSide(user, item, "i", 30f, 3f);
        step.applyItemSide(item, result.itemStep());

        assertThat(Math.sqrt(squaredNorm(toDouble(user.factors()), 0))).isCloseTo(1.0, within(1e-5));
        assertThat(Math.sqrt(squaredNorm(toDouble(item.factors()), 0))).isCloseTo(1.0, within(1e-5));
    }
}
