package dev.streamrec.updater.model;

import java.util.Arrays;

/**
 * An item's learned parameters: factor vector q_i, rating bias b_i and interaction bias c_i
 * (how likely the item is to be interacted with at all: the part of popularity the model learns).
 * Mutable: the item stage owns the authoritative copy and updates it in place; the user stage
 * reads a possibly stale copy and never writes it.
 */
public final class ItemParameters {
    private final float[] factors;
    private float ratingBias;
    private float interactionBias;

    public ItemParameters(final float[] factors, final float ratingBias, final float interactionBias) {
        this.factors = factors;
        this.ratingBias = ratingBias;
        this.interactionBias = interactionBias;
    }

    /** A new item: deterministic small random factors from the id, zero biases. */
    public static ItemParameters initial(final String itemId, final Hyperparameters hyperparameters) {
        return new ItemParameters(InitialFactors.initialItemFactors(itemId, hyperparameters), 0f, 0f);
    }

    /** q_i, live (not a copy); length {@link Hyperparameters#dimensions()}. */
    public float[] factors() {
        return factors;
    }

    /** b_i, the item's offset in the rating prediction. */
    public float ratingBias() {
        return ratingBias;
    }

    /** c_i, the item's offset in the interaction score. */
    public float interactionBias() {
        return interactionBias;
    }

    void ratingBias(final float value) {
        ratingBias = value;
    }

    void interactionBias(final float value) {
        interactionBias = value;
    }

    public ItemParameters copy() {
        return new ItemParameters(factors.clone(), ratingBias, interactionBias);
    }

    @Override
    public String toString() {
        return "ItemParameters[ratingBias=" + ratingBias + ", interactionBias=" + interactionBias
                + ", factors=" + Arrays.toString(factors) + "]";
    }
}
