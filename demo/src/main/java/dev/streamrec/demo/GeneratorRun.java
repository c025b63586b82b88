package dev.streamrec.demo;

import dev.streamrec.demo.gen.EventPump;
import dev.streamrec.demo.gen.EventSink;
import dev.streamrec.demo.gen.EventSource;
import dev.streamrec.demo.gen.SendCounts;
import dev.streamrec.demo.monitor.RunStats;
import dev.streamrec.demo.monitor.StatusReporter;
import java.io.PrintStream;
import java.util.function.Supplier;

/**
 * The demo's generator side: the generator's thread ({@link EventPump}), the sink it sends to, and
 * the status line that reports what the sink got acknowledged ({@link StatusReporter}). One part
 * for {@link Demo} to start and stop, because the three must stop in a particular order: see
 * {@link #close()}.
 */
final class GeneratorRun implements AutoCloseable {
    private final EventSink sink;
    private final EventPump pump;
    private final StatusReporter reporter;

    /**
     * @param sends what {@code sink} has got acknowledged so far
     * @param stats what the output monitor has read, for the status line
     */
    GeneratorRun(final EventSource source, final EventSink sink, final Supplier<SendCounts> sends,
                 final RunStats stats, final PrintStream out, final int httpPort) {
        this.sink = sink;
        this.pump = new EventPump(source, sink, out::println);
        this.reporter = new StatusReporter(stats, sends, out, httpPort);
    }

    void start() {
        pump.start();
        reporter.start();
    }

    /**
     * Stops the generator, so nothing more is sent; flushes the sink (bounded), so what was sent
     * is acknowledged, failed or known to be unanswered; prints the totals line from those counts;
     * and only then closes the sink. The status line before this printed its totals first and
     * missed the sends still in flight.
     */
    @Override
    public void close() {
        try {
            pump.close();
            sink.flush();
        } finally {
            reporter.close();
            sink.close();
        }
    }
}
