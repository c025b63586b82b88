package dev.streamrec.updater.learn;

import static dev.streamrec.updater.learn.UserStageHarness.millis;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A refresh round must not fail for every user of its batch because of one. */
class UserStageRefreshFailureTest {
    private final UserStageHarness task = new UserStageHarness();

    @AfterEach
    void close() {
        task.close();
    }

    @Test
    void aUserWhoseListCannotBeBuiltIsLeftOutAndTheOthersOfTheBatchStillGetTheirs() {
        task.startInstance();
        task.event("a", 1);
        // A profile the list builder cannot use stands for any failure of one user's list.
        task.event("broken", 2).setCategoryAffinities(null);
        task.event("c", 3);

        task.refreshAt(10);

        assertThat(task.takeListedUsers()).containsExactly("a", "c");
        assertThat(task.storedWatermark()).as("the round is finished and its watermark written")
                .isEqualTo((double) millis(10));

        task.event("broken", 11); // a new event: a new chance, with a usable profile this time
        task.refreshAt(20);
        assertThat(task.takeListedUsers()).containsExactly("broken");
    }
}
