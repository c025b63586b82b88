package dev.streamrec.updater.model;

/**
 * Outcome of the user side of one step.
 *
 * @param discarded  true when the step would have produced a non-finite value and was undone;
 *                   the user's parameters are then unchanged and {@code itemStep} is null
 * @param prediction the score before the step: the clamped rating prediction for a rating step,
 *                   the interaction score for an interaction step (0 if it was not finite)
 * @param itemStep   the message for the item stage, or null when discarded
 */
public record UserStepResult(boolean discarded, float prediction, ItemStep itemStep) {
}
