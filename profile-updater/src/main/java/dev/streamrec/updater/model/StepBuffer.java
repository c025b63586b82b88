package dev.streamrec.updater.model;

/**
 * Reusable output of the user side of one step: the item stage's half of the step (the user's
 * slice before the step and the gradient multiplier) and the score before the step, written by
 * {@link SgdStep#ratingUserSide(UserParameters, ItemParameters, float, float, StepBuffer)} and
 * its interaction twin without allocating anything.
 *
 * <p>For callers that ship the message on at once (serialise it, or apply it to an item in the
 * same thread), so that a step costs arithmetic and not garbage; {@link ItemStep} is the owned,
 * immutable form. Mutable and not thread-safe: one per thread.
 */
public final class StepBuffer {
    private final float[] userFactors;
    float gradientScale;
    float prediction;

    /** Use {@link SgdStep#newStepBuffer()}: the buffer's length must be the step's rank. */
    StepBuffer(final int rank) {
        this.userFactors = new float[rank];
    }

    /** The user's factor slice as it was before the last successful step; live, overwritten by the next one. */
    public float[] userFactors() {
        return userFactors;
    }

    /** w·e of the last successful step. */
    public float gradientScale() {
        return gradientScale;
    }

    /** The score before the last step (see {@link UserStepResult#prediction()}), set even when it was discarded. */
    public float prediction() {
        return prediction;
    }

    /** Hands the buffer's array to an owned message; the buffer must not be used again. */
    ItemStep detach(final String itemId, final ItemStep.Kind kind) {
        return new ItemStep(itemId, kind, userFactors, gradientScale);
    }
}
