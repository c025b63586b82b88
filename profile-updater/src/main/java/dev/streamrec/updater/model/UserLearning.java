package dev.streamrec.updater.model;

import java.util.List;

/**
 * What the user side did with one event.
 *
 * @param prediction     the pre-update score: clamped r̂ for a rating, x̂ for an interaction
 * @param itemSteps      messages for the item stage, in the order the user side made them
 *                       (positive first, then one per sampled negative)
 * @param discardedSteps user-side steps undone because they would not have stayed finite
 */
public record UserLearning(float prediction, List<ItemStep> itemSteps, int discardedSteps) {
    public UserLearning {
        itemSteps = List.copyOf(itemSteps);
    }
}
