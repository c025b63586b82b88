package dev.streamrec.updater.model;

import java.util.Arrays;

/**
 * One stochastic-gradient step of online biased matrix factorisation, split into the half the
 * user stage applies and the half the item stage applies (asynchronous SGD in the manner of a
 * parameter server: Li et al. 2014, "Scaling distributed machine learning with the parameter
 * server"; staleness tolerated as in Recht et al. 2011, "Hogwild!").
 *
 * <h2>Rating (explicit) step</h2>
 * Prediction (Koren, Bell and Volinsky 2009, "Matrix factorization techniques for recommender
 * systems"): {@code r̂ = μ + b_u + b_i + p_u·q_i}, the dot product over the rating slice. Loss of
 * one rating r with weight w:
 * <pre>
 *   L = w/2 (r − r̂)² + λ_f/2 (|p_u|² + |q_i|²) + λ_b/2 (b_u² + b_i²)
 * </pre>
 * With e = clip(r − r̂, ±maxError) and g = w e, the steps are the negative gradients (Funk 2006;
 * Koren et al. 2009):
 * <pre>
 *   user side:  p_u ← p_u + η_f (g q_i − λ_f p_u)      b_u ← b_u + η_bu(n_u) (g − λ_b b_u)
 *   item side:  q_i ← q_i + η_f (g p_u − λ_f q_i)      b_i ← b_i + η_bi(n_i) (g − λ_b b_i)
 * </pre>
 * where the item side uses p_u as it was before the user side moved it (carried in {@link ItemStep}),
 * and η_b(n) = max(η_b, 1/(n + k)) is the bias rate after n rating steps ({@link #ratingBiasRate}).
 *
 * <h2>Interaction (implicit) step</h2>
 * Score {@code x̂ = c_i + p_u·q_i} over the interaction slice, target y = 1 for a positive
 * (click, purchase, the fact of a rating) with confidence w, y = 0 for a sampled negative with
 * weight w⁻. Pointwise squared loss as in incremental SGD for positive-only feedback (Vinagre,
 * Jorge and Gama 2014, "Fast incremental matrix factorization for recommendation with
 * positive-only feedback"), extended with an item interaction bias c_i and with negatives drawn
 * in proportion to popularity^α, the sampled counterpart of popularity-aware weighting of missing
 * data (He, Zhang, Kan and Chua 2016, "Fast matrix factorization for online recommendation with
 * implicit feedback"):
 * <pre>
 *   L = w/2 (y − x̂)² + λ_f/2 (|p_u|² + |q_i|²) + λ_b/2 c_i²
 *   user side:  p_u ← p_u + η_f (g q_i − λ_f p_u)
 *   item side:  q_i ← q_i + η_f (g p_u − λ_f q_i)      c_i ← c_i + η_bi (g − λ_b c_i)
 * </pre>
 * There is no user term in x̂: it would not change any user's ranking.
 *
 * <h2>Staying finite</h2>
 * The error is clipped to ±maxError, biases to ±maxBias, and a factor slice whose norm exceeds
 * maxFactorNorm is projected back onto that ball (projected SGD). If anything still comes out
 * non-finite (an absurd learning rate, a corrupt input vector), the step is undone and reported
 * as discarded, so no non-finite number ever reaches a store or a topic.
 *
 * <p>Thread-safety: stateless apart from the immutable hyperparameters; the parameter objects
 * passed in are mutated and must not be shared between threads.
 */
public final class SgdStep {
    /** What {@link #moveTowards} returns on success when no copy of the old slice was asked for. */
    private static final float[] NOT_KEPT = new float[0];
    private final Hyperparameters hyperparameters;
    private final int rank;
    private final int ratingOffset;
    private final int interactionOffset;

    public SgdStep(final Hyperparameters hyperparameters) {
        this.hyperparameters = hyperparameters;
        this.rank = hyperparameters.rank();
        this.ratingOffset = hyperparameters.sharing().ratingOffset(rank);
        this.interactionOffset = hyperparameters.sharing().interactionOffset(rank);
    }

    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    /** r̂ clamped to [minRating, maxRating]; what a prequential evaluator should score. */
    public float predictRating(final UserParameters user, final ItemParameters item, final float globalMean) {
        final float raw = globalMean + user.bias() + item.ratingBias()
                + dot(user.factors(), item.factors(), ratingOffset);
        return clampRating(raw);
    }

    /** x̂ = c_i + p_u·q_i over the interaction slice. */
    public float interactionScore(final UserParameters user, final ItemParameters item) {
        return item.interactionBias() + dot(user.factors(), item.factors(), interactionOffset);
    }

    /**
     * The score to sort a user's candidates by: x̂ + β (b_i + p_u·q_i over the rating slice).
     * The user's own terms (μ, b_u) are left out because they do not change the order.
     */
    public float rankingScore(final UserParameters user, final ItemParameters item) {
        final float blend = hyperparameters.rankingRatingBlend();
        final float interactionDot = dot(user.factors(), item.factors(), interactionOffset);
        if (blend == 0f) {
            return item.interactionBias() + interactionDot;
        }
        final float ratingDot = ratingOffset == interactionOffset
                ? interactionDot
                : dot(user.factors(), item.factors(), ratingOffset);
        return item.interactionBias() + interactionDot + blend * (item.ratingBias() + ratingDot);
    }

    /**
     * User side of a rating step: updates p_u (rating slice) and b_u in place from a possibly
     * stale view of the item, and returns the message for the item stage.
     */
    public UserStepResult ratingUserSide(final UserParameters user, final ItemParameters itemView,
                                         final String itemId, final float rating, final float globalMean) {
        final float[] p = user.factors();
        final float[] q = itemView.factors();
        final Moments m = moments(p, ratingOffset, q, ratingOffset);
        final float raw = globalMean + user.bias() + itemView.ratingBias() + m.dot();
        final float error = clip(rating - raw, hyperparameters.maxError());
        if (!Float.isFinite(error)) {
            return new UserStepResult(true, clampRating(raw), null);
        }
        final float gradientScale = hyperparameters.ratingWeight() * error;
        final float newBias = clip(user.bias() + ratingBiasRate(hyperparameters.userBiasLearningRate(), user.ratingCount())
                * (gradientScale - hyperparameters.biasRegularization() * user.bias()), hyperparameters.maxBias());
        final float[] before = Float.isFinite(newBias) ? moveTowards(p, ratingOffset, q, ratingOffset, m.dot(), m.xx(),
                m.yy(), gradientScale, ratingFactorRate(user.ratingCount()), true) : null;
        if (before == null) {
            return new UserStepResult(true, clampRating(raw), null);
        }
        user.bias(newBias);
        user.countRating();
        return new UserStepResult(false, clampRating(raw),
                new ItemStep(itemId, ItemStep.Kind.RATING, before, gradientScale));
    }

    /**
     * User side of an interaction step with target 1 (a positive with confidence {@code weight})
     * or 0 (a sampled negative with weight {@code negativeWeight}). Updates p_u's interaction
     * slice in place.
     */
    public UserStepResult interactionUserSide(final UserParameters user, final ItemParameters itemView,
                                              final String itemId, final float target, final float weight) {
        final float[] p = user.factors();
        final float[] q = itemView.factors();
        final Moments m = moments(p, interactionOffset, q, interactionOffset);
        final float score = itemView.interactionBias() + m.dot();
        final float error = clip(target - score, hyperparameters.maxError());
        if (!Float.isFinite(error) || !Float.isFinite(weight)) {
            return new UserStepResult(true, finiteOrZero(score), null);
        }
        final float gradientScale = weight * error;
        final float[] before = moveTowards(p, interactionOffset, q, interactionOffset, m.dot(), m.xx(), m.yy(),
                gradientScale, hyperparameters.factorLearningRate(), true);
        if (before == null) {
            return new UserStepResult(true, finiteOrZero(score), null);
        }
        return new UserStepResult(false, score,
                new ItemStep(itemId, ItemStep.Kind.INTERACTION, before, gradientScale));
    }

    /**
     * Item side of a step, on the authoritative item parameters. Nothing is written when the
     * result would not be finite.
     *
     * @throws IllegalArgumentException if the message's user vector does not have {@code rank} entries
     */
    public StepOutcome applyItemSide(final ItemParameters item, final ItemStep step) {
        final float[] userFactors = step.userFactors();
        if (userFactors.length != rank) {
            throw new IllegalArgumentException("userFactors must have rank " + rank + " entries, had "
                    + userFactors.length);
        }
        final float gradientScale = step.gradientScale();
        if (!Float.isFinite(gradientScale)) {
            return StepOutcome.DISCARDED;
        }
        final boolean rating = step.kind() == ItemStep.Kind.RATING;
        final float oldBias = rating ? item.ratingBias() : item.interactionBias();
        final float biasRate = rating
                ? ratingBiasRate(hyperparameters.itemBiasLearningRate(), item.ratingCount())
                : hyperparameters.itemBiasLearningRate();
        final float newBias = clip(oldBias + biasRate
                * (gradientScale - hyperparameters.biasRegularization() * oldBias), hyperparameters.maxBias());
        if (!Float.isFinite(newBias)) {
            return StepOutcome.DISCARDED;
        }
        final float[] q = item.factors();
        final int offset = rating ? ratingOffset : interactionOffset;
        final Moments m = moments(q, offset, userFactors, 0);
        final float rate = rating ? ratingFactorRate(item.ratingCount()) : hyperparameters.factorLearningRate();
        if (moveTowards(q, offset, userFactors, 0, m.dot(), m.xx(), m.yy(), gradientScale, rate, false) == null) {
            return StepOutcome.DISCARDED;
        }
        if (rating) {
            item.ratingBias(newBias);
            item.countRating();
        } else {
            item.interactionBias(newBias);
        }
        return StepOutcome.APPLIED;
    }

    /**
     * Step size of a rating bias that has taken {@code count} steps: max(η_b, 1/(count + k)),
     * η_b being the user's or the item's bias rate. With
     * 1/(n + k) alone the bias would be exactly a running mean of the residuals shrunk towards 0 by k
     * pseudo-observations (the shrunk baseline estimate of Koren 2010, "Factor in the neighbors",
     * eq. 2); the floor η_b turns it into an exponential average once n is large, so that it keeps
     * following drift in a stream.
     */
    float ratingBiasRate(final float floor, final long count) {
        final float warmup = hyperparameters.biasWarmup();
        return warmup > 0f ? Math.max(floor, 1f / (count + warmup)) : floor;
    }

    /**
     * Step size of a rating slice whose entity has taken {@code count} rating steps, before the
     * cap of {@link #moveTowards}: max(η_f, η_f0 k/(count + k)).
     *
     * <p>Why: with fixed partner vectors, p_u is a ridge regression on the residuals, whose
     * stochastic-approximation step should shrink like 1/n (Robbins and Monro 1951; the 1/n rate
     * makes the iterate a running average, as the bias warm-up does). A constant η_f small enough
     * to be stable for a heavy user leaves a user with a dozen ratings where the initial noise put
     * them, which is why on MovieLens the factors added nothing to the biases. The count is the
     * persisted {@code ratingCount}, so the schedule needs no new state; the floor η_f keeps the
     * factors following drift once the warm-up is over.
     */
    float ratingFactorRate(final long count) {
        final float floor = hyperparameters.factorLearningRate();
        final float warmup = hyperparameters.factorWarmup();
        return warmup > 0f ? Math.max(floor, hyperparameters.factorWarmupRate() * warmup / (count + warmup)) : floor;
    }

    /** x·y, |x|² and |y|² over one slice each; a record so that escape analysis keeps it in registers. */
    private record Moments(float dot, float xx, float yy) {
    }

    /**
     * The three sums the step needs, in one pass over both slices: the dot product (prediction),
     * |y|² (the rate cap) and |x|² (the analytic norm after the step, see {@link #moveTowards}).
     * Four independent partial sums per quantity: a single running sum is a chain of dependent
     * additions the JIT must keep in order (float addition is not associative), which would make
     * this loop latency-bound. {@link Math#fma} halves the instructions (one fused multiply-add
     * instead of a rounded multiply and an add; measured about 15 % faster per step at rank 64)
     * and rounds once instead of twice.
     */
    private Moments moments(final float[] x, final int xOffset, final float[] y, final int yOffset) {
        float d0 = 0f, d1 = 0f, d2 = 0f, d3 = 0f;
        float x0 = 0f, x1 = 0f, x2 = 0f, x3 = 0f;
        float y0 = 0f, y1 = 0f, y2 = 0f, y3 = 0f;
        int f = 0;
        for (; f + 3 < rank; f += 4) {
            final float a0 = x[xOffset + f];
            final float a1 = x[xOffset + f + 1];
            final float a2 = x[xOffset + f + 2];
            final float a3 = x[xOffset + f + 3];
            final float b0 = y[yOffset + f];
            final float b1 = y[yOffset + f + 1];
            final float b2 = y[yOffset + f + 2];
            final float b3 = y[yOffset + f + 3];
            d0 = Math.fma(a0, b0, d0);
            d1 = Math.fma(a1, b1, d1);
            d2 = Math.fma(a2, b2, d2);
            d3 = Math.fma(a3, b3, d3);
            x0 = Math.fma(a0, a0, x0);
            x1 = Math.fma(a1, a1, x1);
            x2 = Math.fma(a2, a2, x2);
            x3 = Math.fma(a3, a3, x3);
            y0 = Math.fma(b0, b0, y0);
            y1 = Math.fma(b1, b1, y1);
            y2 = Math.fma(b2, b2, y2);
            y3 = Math.fma(b3, b3, y3);
        }
        for (; f < rank; f++) {
            final float a = x[xOffset + f];
            final float b = y[yOffset + f];
            d0 += a * b;
            x0 += a * a;
            y0 += b * b;
        }
        return new Moments((d0 + d1) + (d2 + d3), (x0 + x1) + (x2 + x3), (y0 + y1) + (y2 + y3));
    }

    /**
     * x ← π(x + η (g y − λ_f x)) over {@code rank} entries, π the projection onto the ball of
     * radius maxFactorNorm, with η = min(rate, τ/|y|²) (τ = factorStepBound, no cap when τ = 0).
     *
     * <p>The cap: this step alone changes x·y by η g |y|² − η λ_f x·y, so η |y|² ≤ τ means it
     * removes at most the share τ of the error it learns from. Without it, a warm-up rate that is
     * right for a young entity with short partner vectors overshoots, and oscillates into the
     * norm bound, once the partners have grown (the stability condition of normalised LMS,
     * Haykin, "Adaptive filter theory", ch. 6; the same min(C, ·/|y|²) form as the
     * passive-aggressive step of Crammer et al. 2006).
     *
     * <p>One write pass: the norm after the step is known from the moments before it,
     * |s x + c y|² = s²|x|² + 2 s c x·y + c²|y|² (s = 1 − η λ_f, c = η g), and every entry is
     * bounded by |s| |x| + |c| |y|, so finiteness is decided before anything is written.
     *
     * @param keepOld whether to return a copy of x's slice as it was before the step (the item-stage message)
     * @return null (and x unchanged) if the result would not be finite; else the copy, or
     *         {@link #NOT_KEPT} when {@code keepOld} is false
     */
    private float[] moveTowards(final float[] x, final int xOffset, final float[] y, final int yOffset,
                                final float dot, final float xx, final float yy, final float gradientScale,
                                final float rate, final boolean keepOld) {
        final float bound = hyperparameters.factorStepBound();
        final float eta = bound > 0f && rate * yy > bound ? bound / yy : rate;
        final double shrink = 1.0 - (double) eta * hyperparameters.factorRegularization();
        final double pull = (double) eta * gradientScale;
        final double largest = Math.abs(shrink) * Math.sqrt(xx) + Math.abs(pull) * Math.sqrt(yy);
        if (!(largest < Float.MAX_VALUE) || !Float.isFinite(dot)) {
            return null;
        }
        final double squaredNorm = Math.max(0.0,
                shrink * shrink * xx + 2.0 * shrink * pull * dot + pull * pull * yy);
        final double maxNorm = hyperparameters.maxFactorNorm();
        final double projection = squaredNorm > maxNorm * maxNorm ? maxNorm / Math.sqrt(squaredNorm) : 1.0;
        final float s = (float) (projection * shrink);
        final float c = (float) (projection * pull);
        // copyOfRange right at the allocation lets the JIT skip zeroing the new array.
        final float[] old = keepOld ? Arrays.copyOfRange(x, xOffset, xOffset + rank) : NOT_KEPT;
        for (int f = 0; f < rank; f++) {
            x[xOffset + f] = Math.fma(c, y[yOffset + f], s * x[xOffset + f]);
        }
        return old;
    }

    private float dot(final float[] userFactors, final float[] itemFactors, final int offset) {
        float sum0 = 0f;
        float sum1 = 0f;
        float sum2 = 0f;
        float sum3 = 0f;
        final int end = offset + rank;
        int f = offset;
        for (; f + 3 < end; f += 4) {
            sum0 += userFactors[f] * itemFactors[f];
            sum1 += userFactors[f + 1] * itemFactors[f + 1];
            sum2 += userFactors[f + 2] * itemFactors[f + 2];
            sum3 += userFactors[f + 3] * itemFactors[f + 3];
        }
        for (; f < end; f++) {
            sum0 += userFactors[f] * itemFactors[f];
        }
        return (sum0 + sum1) + (sum2 + sum3);
    }

    /** Clamps to the rating scale; an infinite value lands on the nearer end, NaN on the middle. */
    private float clampRating(final float raw) {
        if (Float.isNaN(raw)) {
            return 0.5f * (hyperparameters.minRating() + hyperparameters.maxRating());
        }
        return Math.max(hyperparameters.minRating(), Math.min(hyperparameters.maxRating(), raw));
    }

    /** Clips to [-bound, bound]; NaN stays NaN so that the caller can detect it. */
    private static float clip(final float value, final float bound) {
        return value > bound ? bound : value < -bound ? -bound : value;
    }

    private static float finiteOrZero(final float value) {
        return Float.isFinite(value) ? value : 0f;
    }
}
