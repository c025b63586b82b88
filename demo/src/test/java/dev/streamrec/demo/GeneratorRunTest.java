package dev.streamrec.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.demo.gen.EventSink;
import dev.streamrec.demo.gen.EventSource;
import dev.streamrec.demo.gen.SendCounts;
import dev.streamrec.demo.monitor.RunStats;
import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.PurchaseEvent;
import dev.streamrec.schemas.RatingEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GeneratorRunTest {
    private static final int EVENTS = 3;

    @Test
    void theTotalsLineCountsEveryEventTheGeneratorHandedOver() {
        final FlushedSink sink = new FlushedSink(true);
        final String totals = runAndStop(sink);

        assertThat(totals).contains("events in " + EVENTS + " (").doesNotContain("not acknowledged");
        assertThat(sink.closed).as("sink closed").isTrue();
    }

    @Test
    void theTotalsLineSaysHowManySendsTheBrokerDidNotAnswer() {
        final String totals = runAndStop(new FlushedSink(false));

        assertThat(totals).contains("events in 0 (", "not acknowledged " + EVENTS);
    }

    /** Starts a run whose source sends {@value #EVENTS} clicks at once, stops it once they are handed over. */
    private static String runAndStop(final FlushedSink sink) {
        final ByteArrayOutputStream console = new ByteArrayOutputStream();
        final PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
        try (GeneratorRun run = new GeneratorRun(threeClicks(), sink, sink::counts, new RunStats(), out, 8080)) {
            run.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (sink.handed.get() < EVENTS && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
            assertThat(sink.handed).as("events handed to the sink").hasValue(EVENTS);
        }
        final List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).as("console").isNotEmpty();
        return lines.get(lines.size() - 1);
    }

    /** A source that sends its clicks on the first tick and nothing after, without running dry. */
    private static EventSource threeClicks() {
        return new EventSource() {
            private boolean sent;

            @Override
            public List<Item> catalog() {
                return List.of();
            }

            @Override
            public boolean emitDue(final long elapsedMillis, final long nowMillis, final EventSink sink) {
                if (!sent) {
                    for (int i = 0; i < EVENTS; i++) {
                        sink.click(ClickEvent.newBuilder().setEventId("e" + i).setUserId("u" + i).setItemId("i" + i)
                                .setEventTime(Instant.ofEpochMilli(nowMillis)).build());
                    }
                    sent = true;
                }
                return true;
            }

            @Override
            public String describe() {
                return "three clicks";
            }
        };
    }

    /**
     * A sink like a producer's: what it is handed is acknowledged only when a flush sends it (or,
     * with {@code answers} false, never: a broker that does not answer).
     */
    private static final class FlushedSink implements EventSink {
        final AtomicLong handed = new AtomicLong();
        final AtomicLong acknowledged = new AtomicLong();
        private final boolean answers;
        private volatile boolean closed;

        FlushedSink(final boolean answers) {
            this.answers = answers;
        }

        SendCounts counts() {
            final long acknowledgedNow = acknowledged.get();
            return new SendCounts(acknowledgedNow, 0, handed.get() - acknowledgedNow, Optional.empty());
        }

        @Override
        public void item(final Item item) {
        }

        @Override
        public void click(final ClickEvent event) {
            handed.incrementAndGet();
        }

        @Override
        public void purchase(final PurchaseEvent event) {
            handed.incrementAndGet();
        }

        @Override
        public void rating(final RatingEvent event) {
            handed.incrementAndGet();
        }

        @Override
        public boolean flush() {
            if (answers) {
                acknowledged.set(handed.get());
            }
            return answers || handed.get() == 0; // nothing handed over: nothing left unanswered
        }

        @Override
        public void close() {
            closed = true;
            flush();
        }
    }
}
