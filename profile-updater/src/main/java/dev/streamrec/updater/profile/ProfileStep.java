package dev.streamrec.updater.profile;

import dev.streamrec.schemas.Interaction;
import dev.streamrec.schemas.UserProfile;

/**
 * What the profile step hands on, in memory only (never serialised): the user's new profile, for
 * {@code profiles.users}, and the interaction marked anomalous or not, for the learner.
 */
public record ProfileStep(UserProfile profile, Interaction interaction) {
}
