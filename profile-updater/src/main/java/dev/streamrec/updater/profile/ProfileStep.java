package dev.streamrec.updater.profile;

import dev.streamrec.schemas.Interaction;
import dev.streamrec.schemas.UserProfile;
import java.util.Map;

/**
 * What the profile step hands on, in memory only (never serialised): the user's new profile, for
 * {@code profiles.users}, and the interaction marked anomalous or not, for the learner.
 *
 * @param newItemForUser true when the user had never interacted with this item before this event
 * @param history        every item the user has touched, this event's included, with its kind
 *                       flags ({@link UserItems}); mutable, owned by the receiver (it is also the
 *                       profile's {@code itemHistory} while that is kept); null when the history
 *                       is kept in the store and longer than {@link UserItems#IN_PROFILE_MAX_ITEMS},
 *                       so it was not read whole
 */
public record ProfileStep(UserProfile profile, Interaction interaction, boolean newItemForUser,
                          Map<String, Integer> history) {
}
