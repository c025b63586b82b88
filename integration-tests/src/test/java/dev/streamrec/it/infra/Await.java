package dev.streamrec.it.infra;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes. Integration tests wait for an observable
 * state (a record, a count, an HTTP status), never for a fixed time: a fixed sleep is either too
 * short on a loaded 2-core CI machine or wastes time everywhere else.
 */
public final class Await {

    /** Between two checks: short enough to react fast, long enough not to spin a core. */
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(50);

    private Await() {
    }

    /**
     * Returns once {@code condition} is true; throws {@link AssertionError} with
     * {@code whatWeWaitedFor} (evaluated at the deadline, so it can describe the last state seen)
     * when {@code timeout} passes first.
     */
    public static void until(final Duration timeout, final BooleanSupplier condition,
                             final Supplier<String> whatWeWaitedFor) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("Timed out after " + timeout + " waiting for: " + whatWeWaitedFor.get());
            }
            LockSupport.parkNanos(CHECK_INTERVAL.toNanos());
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for: " + whatWeWaitedFor.get());
            }
        }
    }
}
