package dev.streamrec.updater.model;

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
 * <p>The loops run on {@link FactorKernels#selected()}: vector instructions when the JVM has the
 * Vector API module, plain Java otherwise.
 *
 * <p>Thread-safety: stateless apart from the immutable hyperparameters; the parameter objects
 * passed in are mutated and must not be shared between threads.
 */
public final class SgdStep {
    private final Hyperparameters hyperparameters;
    private final FactorKernels kernels;
    private final int rank;
    private final int ratingOffset;
    private final int interactionOffset;

    public SgdStep(final Hyperparameters hyperparameters) {
        this(hyperparameters, FactorKernels.selected());
    }

    /** With a given kernel implementation: tests and benchmarks compare the scalar and the vector one. */
    public SgdStep(final Hyperparameters hyperparameters, final FactorKernels kernels) {
        this.hyperparameters = hyperparameters;
        this.kernels = kernels;
        this.rank = hyperparameters.rank();
        this.ratingOffset = hyperparameters.sharing().ratingOffset(rank);
        this.interactionOffset = hyperparameters.sharing().interactionOffset(rank);
    }

    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    /** A reusable message buffer for the allocation-free user-side steps of this step's rank. */
    public StepBuffer newStepBuffer() {
        return new StepBuffer(rank);
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
        final StepBuffer out = new StepBuffer(rank);
        return owned(ratingUserSide(user, itemView, rating, globalMean, out), out, itemId, ItemStep.Kind.RATING);
    }

    /**
     * The rating step's user side without allocating: the message goes into {@code out}.
     *
     * @return false when the step was discarded (p_u and b_u unchanged; only {@code out.prediction()} is set)
     */
    public boolean ratingUserSide(final UserParameters user, final ItemParameters itemView, final float rating,
                                  final float globalMean, final StepBuffer out) {
        final float[] p = user.factors();
        final float[] q = itemView.factors();
        final Moments m = moments(p, ratingOffset, q, ratingOffset);
        final float raw = globalMean + user.bias() + itemView.ratingBias() + m.dot();
        out.prediction = clampRating(raw);
        final float error = clip(rating - raw, hyperparameters.maxError());
        if (!Float.isFinite(error)) {
            return false;
        }
        final float gradientScale = hyperparameters.ratingWeight() * error;
        final float newBias = clip(user.bias() + ratingBiasRate(hyperparameters.userBiasLearningRate(), user.ratingCount())
                * (gradientScale - hyperparameters.biasRegularization() * user.bias()), hyperparameters.maxBias());
        if (!Float.isFinite(newBias) || !moveTowards(p, ratingOffset, q, ratingOffset, m, gradientScale,
                ratingFactorRate(user.ratingCount()), out.userFactors())) {
            return false;
        }
        user.bias(newBias);
        user.countRating();
        out.gradientScale = gradientScale;
        return true;
    }

    /**
     * User side of an interaction step with target 1 (a positive with confidence {@code weight})
     * or 0 (a sampled negative with weight {@code negativeWeight}). Updates p_u's interaction
     * slice in place.
     */
    public UserStepResult interactionUserSide(final UserParameters user, final ItemParameters itemView,
                                              final String itemId, final float target, final float weight) {
        final StepBuffer out = new StepBuffer(rank);
        return owned(interactionUserSide(user, itemView, target, weight, out), out, itemId, ItemStep.Kind.INTERACTION);
    }

    /**
     * The interaction step's user side without allocating: the message goes into {@code out}.
     *
     * @return false when the step was discarded (p_u unchanged; only {@code out.prediction()} is set)
     */
    public boolean interactionUserSide(final UserParameters user, final ItemParameters itemView, final float target,
                                       final float weight, final StepBuffer out) {
        final float[] p = user.factors();
        final float[] q = itemView.factors();
        final Moments m = moments(p, interactionOffset, q, interactionOffset);
        final float score = itemView.interactionBias() + m.dot();
        out.prediction = finiteOrZero(score);
        final float error = clip(target - score, hyperparameters.maxError());
        if (!Float.isFinite(error) || !Float.isFinite(weight)) {
            return false;
        }
        final float gradientScale = weight * error;
        if (!moveTowards(p, interactionOffset, q, interactionOffset, m, gradientScale,
                hyperparameters.factorLearningRate(), out.userFactors())) {
            return false;
        }
        out.gradientScale = gradientScale;
        return true;
    }

    /** The result of a step taken into a fresh buffer, which the message then owns. */
    private static UserStepResult owned(final boolean applied, final StepBuffer out, final String itemId,
                                        final ItemStep.Kind kind) {
        return applied
                ? new UserStepResult(false, out.prediction, out.detach(itemId, kind))
                : new UserStepResult(true, out.prediction, null);
    }

    /**
     * Item side of a step, on the authoritative item parameters. Nothing is written when the
     * result would not be finite.
     *
     * @throws IllegalArgumentException if the message's user vector does not have {@code rank} entries
     */
    public StepOutcome applyItemSide(final ItemParameters item, final ItemStep step) {
        return applyItemSide(item, step.kind(), step.userFactors(), step.gradientScale());
    }

    /**
     * {@link #applyItemSide(ItemParameters, ItemStep)} from the message's parts, e.g. straight
     * from a {@link StepBuffer}.
     *
     * @param userFactors the user's slice before the user side of the step, {@code rank} entries
     */
    public StepOutcome applyItemSide(final ItemParameters item, final ItemStep.Kind kind, final float[] userFactors,
                                     final float gradientScale) {
        if (userFactors.length != rank) {
            throw new IllegalArgumentException("userFactors must have rank " + rank + " entries, had "
                    + userFactors.length);
        }
        if (!Float.isFinite(gradientScale)) {
            return StepOutcome.DISCARDED;
        }
        final boolean rating = kind == ItemStep.Kind.RATING;
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
        if (!moveTowards(q, offset, userFactors, 0, m, gradientScale, rate, null)) {
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
     * @param m      x·y, |x|², |y|² over the two slices, before the step
     * @param before where to copy x's slice as it was before the step (the item-stage message), or null
     * @return false (and x unchanged) if the result would not be finite
     */
    private boolean moveTowards(final float[] x, final int xOffset, final float[] y, final int yOffset,
                                final Moments m, final float gradientScale, final float rate, final float[] before) {
        final float dot = m.dot();
        final float xx = m.xx();
        final float yy = m.yy();
        final float bound = hyperparameters.factorStepBound();
        final float eta = bound > 0f && rate * yy > bound ? bound / yy : rate;
        final double shrink = 1.0 - (double) eta * hyperparameters.factorRegularization();
        final double pull = (double) eta * gradientScale;
        final double largest = Math.abs(shrink) * Math.sqrt(xx) + Math.abs(pull) * Math.sqrt(yy);
        if (!(largest < Float.MAX_VALUE) || !Float.isFinite(dot)) {
            return false;
        }
        final double squaredNorm = Math.max(0.0,
                shrink * shrink * xx + 2.0 * shrink * pull * dot + pull * pull * yy);
        final double maxNorm = hyperparameters.maxFactorNorm();
        final double projection = squaredNorm > maxNorm * maxNorm ? maxNorm / Math.sqrt(squaredNorm) : 1.0;
        if (before != null) {
            System.arraycopy(x, xOffset, before, 0, rank);
        }
        kernels.scaleAndAdd(x, xOffset, (float) (projection * shrink), (float) (projection * pull), y, yOffset, rank);
        return true;
    }

    private float dot(final float[] userFactors, final float[] itemFactors, final int offset) {
        return kernels.dot(userFactors, offset, itemFactors, offset, rank);
    }

    private Moments moments(final float[] x, final int xOffset, final float[] y, final int yOffset) {
        return kernels.moments(x, xOffset, y, yOffset, rank);
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
