package dev.streamrec.updater.learn;

import static dev.streamrec.updater.learn.UserStageHarness.ZERO;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.Recommendations;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Users awaiting a list when an instance stops get it from the instance that takes the task over,
 * without new events: the next processor on the same (restored) stores re-marks every user whose
 * profile changed since the committed refresh watermark. The harness's stores stand for the
 * changelogs as committed; a second processor on them is the task reopened elsewhere. The refresh
 * interval is 10 s and a user is listed at most once a minute.
 */
class UserStageRestartTest {
    private final UserStageHarness task = new UserStageHarness();

    @AfterEach
    void close() {
        task.close();
    }

    @Test
    void usersWithEventsAfterTheLastRefreshRoundGetAListFromTheNextInstanceAndOthersDoNot() {
        task.startInstance();
        task.event("early", 5);
        task.event("busy", 6);
        task.refreshAt(10); // lists for early and busy; busy is now paced for a minute
        task.event("busy", 12); // left waiting at the next round: the watermark stays at its ingest time
        task.event("late", 13);
        task.refreshAt(20); // a list for late only
        assertThat(task.listedUsers()).containsExactly("early", "busy", "late");
        task.event("after", 25); // no round before the stop

        task.startInstance(); // the task reopened on the committed stores
        task.refreshAt(30);

        final Map<String, Recommendations> lists = new HashMap<>();
        task.forwarded(Recommendations.class).forEach(list -> lists.put(list.getUserId(), list));
        assertThat(lists.keySet())
                .as("users with events not reflected in a list are refreshed; early is not")
                // late was listed at 20 s, but its event (13 s) is after the watermark busy held
                // back at 12 s, so it is listed once more: a list too many, never one too few.
                .containsOnly("busy", "late", "after");
        assertThat(lists.get("busy").getTriggerIngestTime())
                .as("the trigger time is never later than the event it reflects")
                .isBeforeOrEqualTo(ZERO.plusSeconds(12));
        assertThat(lists.get("after").getTriggerIngestTime()).isBeforeOrEqualTo(ZERO.plusSeconds(25));
    }
}
