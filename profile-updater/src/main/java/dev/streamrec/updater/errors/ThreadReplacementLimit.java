package dev.streamrec.updater.errors;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a stream thread that a bug killed past every handler, rather than the instance,
 * but only {@link #MAX_REPLACEMENTS} times within {@link #WINDOW}: one more failure within it
 * shuts the client down ({@code SHUTDOWN_CLIENT}, then state {@code ERROR}). Failures that
 * repeat every time (an authorisation error, a record too large, a registry refusing a schema,
 * the deserialization handler's FAIL while the registry is down) would otherwise replace
 * threads and rebalance the group forever with no backoff, the instance looking alive.
 *
 * <p>The window is long because a replacement is slow to fail again: under exactly-once the
 * failed thread's tasks restore their stores from the changelogs before they reprocess the
 * record that killed it. Three unrelated failures within an hour are themselves worth a restart.
 */
public final class ThreadReplacementLimit implements StreamsUncaughtExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadReplacementLimit.class);

    /** Replacements allowed within {@link #WINDOW}; the next failure within it shuts the client down. */
    public static final int MAX_REPLACEMENTS = 3;
    public static final Duration WINDOW = Duration.ofHours(1);

    private final int maxReplacements;
    private final Duration window;
    private final LongSupplier nanoTime;
    /** {@link #nanoTime} of each replacement within the window, oldest first. */
    private final Deque<Long> replacements = new ArrayDeque<>();

    public ThreadReplacementLimit() {
        this(MAX_REPLACEMENTS, WINDOW, System::nanoTime);
    }

    ThreadReplacementLimit(final int maxReplacements, final Duration window, final LongSupplier nanoTime) {
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(final Throwable exception) {
        final long now = nanoTime.getAsLong();
        while (!replacements.isEmpty() && now - replacements.peekFirst() >= window.toNanos()) {
            replacements.removeFirst();
        }
        if (replacements.size() >= maxReplacements) {
            LOG.error("Stream thread failed after {} thread replacements within {}, the most allowed: shutting"
                    + " this instance down", replacements.size(), window, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        LOG.error("Stream thread failed; replacing it ({} of at most {} replacements within {})",
                replacements.size(), maxReplacements, window, exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
