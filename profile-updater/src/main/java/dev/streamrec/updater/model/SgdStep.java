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
 * <p>Thread-safety: stateless apart from the immutable hyperparameters; the parameter objects
 * passed in are mutated and must not be shared between threads.
 */
public final class SgdStep {
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
        final float raw = globalMean + user.bias() + itemView.ratingBias() + dot(p, itemView.factors(), ratingOffset);
        final float error = clip(rating - raw, hyperparameters.maxError());
        if (!Float.isFinite(error)) {
            return new UserStepResult(true, clampRating(raw), null);
        }
        final float gradientScale = hyperparameters.ratingWeight() * error;
        final float newBias = clip(user.bias() + ratingBiasRate(hyperparameters.userBiasLearningRate(), user.ratingCount())
                * (gradientScale - hyperparameters.biasRegularization() * user.bias()), hyperparameters.maxBias());
        final float[] before = slice(p, ratingOffset);
        if (!Float.isFinite(newBias) || !moveTowards(p, ratingOffset, itemView.factors(), ratingOffset, gradientScale)) {
            System.arraycopy(before, 0, p, ratingOffset, rank);
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
        final float score = itemView.interactionBias() + dot(p, itemView.factors(), interactionOffset);
        final float error = clip(target - score, hyperparameters.maxError());
        if (!Float.isFinite(error) || !Float.isFinite(weight)) {
            return new UserStepResult(true, finiteOrZero(score), null);
        }
        final float gradientScale = weight * error;
        final float[] before = slice(p, interactionOffset);
        if (!moveTowards(p, interactionOffset, itemView.factors(), interactionOffset, gradientScale)) {
            System.arraycopy(before, 0, p, interactionOffset, rank);
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
        if (!Float.isFinite(newBias)
                || !moveTowards(item.factors(), rating ? ratingOffset : interactionOffset, userFactors, 0, gradientScale)) {
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
     * x ← x + η_f (g y − λ_f x) over {@code rank} entries, then projection onto the ball of radius
     * maxFactorNorm. Two passes: the first computes the new norm without writing, so a non-finite
     * outcome leaves x untouched and needs no scratch copy.
     *
     * @return false (and x unchanged) if the result would not be finite
     */
    private boolean moveTowards(final float[] x, final int xOffset, final float[] y, final int yOffset,
                                final float gradientScale) {
        final float shrink = 1f - hyperparameters.factorLearningRate() * hyperparameters.factorRegularization();
        final float pull = hyperparameters.factorLearningRate() * gradientScale;
        // Four independent partial sums: a single running sum is a chain of dependent additions
        // that the JIT cannot vectorise (float addition is not associative), which made this loop
        // and dot() the bottleneck of the whole step.
        float norm0 = 0f;
        float norm1 = 0f;
        float norm2 = 0f;
        float norm3 = 0f;
        int f = 0;
        for (; f + 3 < rank; f += 4) {
            final float u0 = shrink * x[xOffset + f] + pull * y[yOffset + f];
            final float u1 = shrink * x[xOffset + f + 1] + pull * y[yOffset + f + 1];
            final float u2 = shrink * x[xOffset + f + 2] + pull * y[yOffset + f + 2];
            final float u3 = shrink * x[xOffset + f + 3] + pull * y[yOffset + f + 3];
            norm0 += u0 * u0;
            norm1 += u1 * u1;
            norm2 += u2 * u2;
            norm3 += u3 * u3;
        }
        for (; f < rank; f++) {
            final float updated = shrink * x[xOffset + f] + pull * y[yOffset + f];
            norm0 += updated * updated;
        }
        final float squaredNorm = (norm0 + norm1) + (norm2 + norm3);
        if (!Float.isFinite(squaredNorm)) {
            return false;
        }
        final float maxNorm = hyperparameters.maxFactorNorm();
        final float projection = squaredNorm > maxNorm * maxNorm ? maxNorm / (float) Math.sqrt(squaredNorm) : 1f;
        for (f = 0; f < rank; f++) {
            x[xOffset + f] = projection * (shrink * x[xOffset + f] + pull * y[yOffset + f]);
        }
        return true;
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

    private float[] slice(final float[] vector, final int offset) {
        final float[] copy = new float[rank];
        System.arraycopy(vector, offset, copy, 0, rank);
        return copy;
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
