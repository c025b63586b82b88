package dev.streamrec.demo.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.demo.gen.SendCounts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StatusReporterTest {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final AtomicReference<SendCounts> sends = new AtomicReference<>();
    private final StatusReporter reporter = new StatusReporter(new RunStats(), sends::get,
            new PrintStream(console, true, StandardCharsets.UTF_8), 8080);

    @Test
    void failedSendsAreShownAndTheirErrorOnceUntilItChanges() {
        sends.set(new SendCounts(10, 0, 4, Optional.empty()));
        reporter.report(false);
        assertThat(lines()).singleElement().asString().contains("events in 10 (").doesNotContain("failed");

        sends.set(new SendCounts(12, 2, 4, Optional.of("TimeoutException: Expiring 2 record(s) for events.clicks-0:"
                + "120001 ms has passed since batch creation")));
        reporter.report(false);
        // Kafka's expiry message names the batch's size, partition and wait: every batch's differs,
        // and printing each would repeat the error every second while the broker is down.
        sends.set(new SendCounts(12, 3, 4, Optional.of("TimeoutException: Expiring 17 record(s) for events.clicks-3:"
                + "120012 ms has passed since batch creation")));
        reporter.report(false);
        sends.set(new SendCounts(12, 4, 4, Optional.of("NotEnoughReplicasException: no")));
        reporter.report(false);
        reporter.report(true);

        final List<String> lines = lines();
        assertThat(lines.get(1)).contains("events in 12 (", " | failed sends 2 | dead-lettered 0 |");
        assertThat(lines.get(2)).contains("generator: last failed send: TimeoutException: Expiring 2 record(s)");
        assertThat(lines.get(3)).as("the same error for another batch: not printed again").startsWith("[");
        assertThat(lines.get(3)).contains(" | failed sends 3 | ");
        assertThat(lines.get(4)).contains(" | failed sends 4 | ");
        assertThat(lines.get(5)).contains("generator: last failed send: NotEnoughReplicasException: no");
        // The totals: the count again, the error not (it has not changed); in-flight sends named.
        assertThat(lines.get(6)).contains(" | failed sends 4 | not acknowledged 4 | ");
        assertThat(lines).hasSize(7);
    }

    private List<String> lines() {
        return console.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
