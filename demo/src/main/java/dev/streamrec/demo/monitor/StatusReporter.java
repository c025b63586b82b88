package dev.streamrec.demo.monitor;

import dev.streamrec.demo.gen.SendCounts;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prints a {@link StatusLine} every second, and the ready-to-paste curl commands once the run has
 * produced a recommendation list (so the ids in them are real). When the generator's sends fail,
 * the line counts them and the error follows on a line of its own, once per distinct error: the
 * count says it goes on, the repeated message would only push the figures off the screen.
 */
public final class StatusReporter implements AutoCloseable {
    private static final long EXAMPLE_PATIENCE_SECONDS = 15;
    private final RunStats stats;
    private final Supplier<SendCounts> sends;
    private final PrintStream out;
    private final int httpPort;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        final Thread thread = new Thread(r, "demo-status");
        thread.setDaemon(true);
        return thread;
    });
    private long startNanos;
    private long lastEventsIn;
    private long lastNanos;
    private boolean examplesPrinted;
    /** The last send error printed: the same one is not repeated every second. */
    private String errorPrinted;

    /** @param sends what the generator's sink has got acknowledged so far */
    public StatusReporter(final RunStats stats, final Supplier<SendCounts> sends, final PrintStream out,
                          final int httpPort) {
        this.stats = stats;
        this.sends = sends;
        this.out = out;
        this.httpPort = httpPort;
    }

    public void start() {
        startNanos = System.nanoTime();
        lastNanos = startNanos;
        timer.scheduleAtFixedRate(() -> report(false), 1, 1, TimeUnit.SECONDS);
    }

    /** @param totals the last line: the rate is the run's average rather than the last second's */
    synchronized void report(final boolean totals) {
        final long now = System.nanoTime();
        final SendCounts counts = sends.get();
        final long in = counts.eventsAcknowledged();
        final double seconds = Math.max(1e-3, (now - (totals ? startNanos : lastNanos)) / 1e9);
        final StatusLine line = new StatusLine(TimeUnit.NANOSECONDS.toSeconds(now - startNanos), in,
                (in - (totals ? 0 : lastEventsIn)) / seconds, counts.failed(), totals ? counts.unanswered() : 0,
                stats.deadLettered.get(), stats.profilesOut.get(),
                stats.recommendationsOut.get(), stats.latency.p99(System.currentTimeMillis()),
                stats.quality.recallAt10(), stats.quality.positivesScored(), stats.quality.rmse(),
                stats.quality.ratingsScored());
        lastEventsIn = in;
        lastNanos = now;
        out.println(line.format());
        final String error = counts.lastError().orElse(null);
        if (error != null && !sameError(error, errorPrinted)) {
            errorPrinted = error;
            out.println("generator: last failed send: " + error);
        }
        final RunStats.Example example = stats.example.get();
        // Wait a little for a personalised list: a cold-start user's profile shows little.
        if (!examplesPrinted && example != null
                && (example.personalised() || now - startNanos > TimeUnit.SECONDS.toNanos(EXAMPLE_PATIENCE_SECONDS))) {
            examplesPrinted = true;
            out.println(CurlExamples.text(httpPort, example));
        }
        out.flush();
    }

    /**
     * Whether two errors are the same but for their figures: Kafka's messages name the batch's
     * record count, partition and wait ("Expiring 17 record(s) for events.clicks-3: 120012 ms has
     * passed"), which differ for every batch that expires while the broker is down.
     */
    static boolean sameError(final String error, final String other) {
        return other != null && error.replaceAll("\\d+", "#").equals(other.replaceAll("\\d+", "#"));
    }

    /** Stops the timer and prints a last line: the run's totals. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (startNanos != 0) {
            report(true);
        }
    }
}
