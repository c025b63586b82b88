package dev.streamrec.updater.clean;

import static dev.streamrec.updater.TopologyTestSupport.START;
import static dev.streamrec.updater.TopologyTestSupport.click;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.UserProfile;
import dev.streamrec.updater.TopologyTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * De-duplication (and every later step) works in record time, which the producer sets and a
 * broker accepts up to an hour ahead by default; only {@code eventTime} is validated. A record
 * stamped far ahead must not make the user's de-duplication memory forget real events.
 */
class FutureRecordTimestampTest {
    @Test
    void oneRecordStampedFarAheadDoesNotLetLaterRetriesCountAgain() {
        try (TopologyTestSupport fx = new TopologyTestSupport(Map.of("events.dedupe.window.ms", "60000"))) {
            fx.clicks.pipeInput("u1", click("a", "u1", "i1", START), START);
            fx.clicks.pipeInput("u1", click("b", "u1", "i2", START), START.plus(Duration.ofMinutes(30))); // clock far ahead
            fx.clicks.pipeInput("u1", click("c", "u1", "i3", START), START.plusSeconds(1));
            fx.clicks.pipeInput("u1", click("a", "u1", "i1", START), START.plusSeconds(10)); // producer retries
            fx.clicks.pipeInput("u1", click("c", "u1", "i3", START), START.plusSeconds(11));
            fx.clicks.pipeInput("u1", click("b", "u1", "i2", START), START.plusSeconds(12));

            final List<TestRecord<String, UserProfile>> out = fx.profiles.readRecordsToList();
            assertThat(out.get(out.size() - 1).value().getClickCount()).as("3 distinct events").isEqualTo(3);
            assertThat(out.get(1).timestamp()).as("forwarded at the wall-clock time it was validated")
                    .isEqualTo(START.toEpochMilli());
        }
    }

    @Test
    void aRecordWithinTheAllowedSkewKeepsItsTimestamp() {
        try (TopologyTestSupport fx = new TopologyTestSupport()) {
            final long skew = fx.config.validation().maxFutureSkew().toMillis();
            fx.clicks.pipeInput("u1", click("a", "u1", "i1", START), START.plusMillis(skew));
            fx.clicks.pipeInput("u1", click("b", "u1", "i2", START), START.minusSeconds(30));
            assertThat(fx.profiles.readRecordsToList()).extracting(TestRecord::timestamp)
                    .containsExactly(START.toEpochMilli() + skew, START.minusSeconds(30).toEpochMilli());
        }
    }
}
