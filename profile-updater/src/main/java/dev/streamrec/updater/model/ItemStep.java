package dev.streamrec.updater.model;

/**
 * The item side of one SGD step: what the user stage sends to the item stage (through the
 * item-keyed repartition topic) so that the owner of q_i can apply its half of the step.
 *
 * <p>Only the gradient multiplier and the user's factor slice are needed: the item stage knows
 * the hyperparameters and holds the authoritative q_i, b_i, c_i, and the item-side gradient of
 * both losses is {@code -gradientScale * userFactors + λ q_i} (see {@link SgdStep}).
 *
 * @param itemId        the item whose parameters the step changes (the repartition key)
 * @param kind          which loss the step belongs to: decides which slice of q_i and which bias move
 * @param userFactors   the user's factor slice for that loss as it was before the user side of
 *                      the step, length {@code rank}; owned by this record, never mutated
 * @param gradientScale the weighted, clipped error w·e: e = r − r̂ for ratings, y − x̂ for interactions
 */
public record ItemStep(String itemId, Kind kind, float[] userFactors, float gradientScale) {

    /** Which loss produced the step. */
    public enum Kind {
        /** Squared rating error: moves the rating slice of q_i and b_i. */
        RATING,
        /** Implicit positive (target 1) or sampled negative (target 0): moves the interaction slice and c_i. */
        INTERACTION
    }
}
