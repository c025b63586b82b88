package dev.streamrec.updater.learn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.UserFactors;
import dev.streamrec.schemas.UserProfile;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Profiles keep the user's factors; a restart with another {@code model.rank} finds them with
 * another length than the model's, which must neither throw on every event of the user nor be
 * read as if it fitted.
 */
class UserStageStoredFactorsTest {
    private final UserStageHarness task = new UserStageHarness();

    @AfterEach
    void close() {
        task.close();
    }

    /** A profile of {@code user} with {@code events} events and stored factors of {@code size}. */
    private void storeProfileWithFactors(final String user, final int events, final int size) {
        for (int second = 1; second <= events; second++) {
            task.event(user, second);
        }
        final KeyValueStore<String, UserProfile> profiles = task.store(UserStageHarness.PROFILES);
        final UserProfile profile = profiles.get(user);
        final float[] factors = new float[size];
        Arrays.fill(factors, 0.1f);
        profile.setFactors(UserFactors.newBuilder().setUserId(user).setFactors(Conversions.list(factors)).setBias(0.5f)
                .setRatingCount(3).setUpdateCount(events).build());
        profiles.put(user, profile);
    }

    @Test
    void storedFactorsOfAnotherModelSizeStartAfreshInsteadOfFailingOrBeingMisread() {
        final int dimensions = task.config.model().dimensions();
        task.startInstance();
        // Stored while model.rank was larger, and smaller, than now.
        storeProfileWithFactors("wider", 6, dimensions + 4);
        storeProfileWithFactors("narrower", 6, dimensions - 2);

        task.startInstance(); // restarted with the new rank: both are re-marked from the store
        task.refreshAt(10);
        assertThat(task.takeListedUsers()).containsExactlyInAnyOrder("wider", "narrower");

        task.event("wider", 11);
        task.event("narrower", 12);
        final List<UserProfile> profiles = task.forwarded(UserProfile.class);
        assertThat(profiles).hasSize(2).allSatisfy(profile ->
                assertThat(profile.getFactors().getFactors()).hasSize(dimensions));
        assertThat(profiles.get(0).getFactors().getBias()).as("a fresh start, not the stored bias").isNotEqualTo(0.5f);
    }
}
