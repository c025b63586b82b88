package dev.streamrec.updater.learn;

import static dev.streamrec.updater.learn.UserStageHarness.millis;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A refresh round scores a bounded number of users: the first round after a restart without a
 * watermark has every profile of the task due, which in one transaction outlasted the exactly-once
 * timeout and was aborted, again and again. The rest wait, and the watermark keeps them across a
 * restart.
 */
class UserStageRefreshRoundTest {
    private static final int PER_ROUND = 3;
    private final UserStageHarness task = new UserStageHarness();

    @AfterEach
    void close() {
        task.close();
    }

    private void start() {
        task.startInstance(h -> new UserStageProcessor(h.config, h.model, UserStageHarness.names(),
                h.itemStage::takeDiscardedSteps, PER_ROUND));
    }

    @Test
    void aRoundScoresAtMostItsShareAndTheWatermarkKeepsTheRestForARestart() {
        start();
        for (int u = 0; u < 8; u++) {
            task.event("u" + u, u + 1); // u0 at 1 s ... u7 at 8 s
        }
        start(); // reopened before any round: every profile is due at once
        task.context.resetForwards();

        task.refreshAt(10);
        assertThat(task.takeListedUsers()).containsExactly("u0", "u1", "u2");
        assertThat(task.storedWatermark()).as("the oldest trigger time still waiting: u3's")
                .isEqualTo((double) millis(4));
        task.refreshAt(20);
        assertThat(task.takeListedUsers()).containsExactly("u3", "u4", "u5");
        assertThat(task.storedWatermark()).isEqualTo((double) millis(7));

        start(); // a stop before the last round: u6 and u7 are still due on the reopened task
        final List<String> after = new ArrayList<>();
        task.refreshAt(30);
        after.addAll(task.takeListedUsers());
        task.refreshAt(40);
        after.addAll(task.takeListedUsers());
        assertThat(after).contains("u6", "u7");
        assertThat(task.storedWatermark()).as("nobody waits any more").isEqualTo((double) millis(40));
    }

    @Test
    void theShareGrowsWithTheIntervalWithinItsBounds() {
        assertThat(UserStageProcessor.usersPerRound(100)).isEqualTo(4096);
        assertThat(UserStageProcessor.usersPerRound(1)).isEqualTo(4096);
        assertThat(UserStageProcessor.usersPerRound(500)).isEqualTo(5 * 4096);
        assertThat(UserStageProcessor.usersPerRound(60_000)).isEqualTo(32 * 1024);
    }
}
