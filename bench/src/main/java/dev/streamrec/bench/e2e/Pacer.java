package dev.streamrec.bench.e2e;

import java.util.concurrent.locks.LockSupport;

/**
 * Holds a sender to a fixed offered load: event n is released at start + n / rate, never earlier,
 * so a stall is followed by a catch-up burst instead of silently lowering the load (which would
 * hide coordinated omission from the latency figures). Rate ≤ 0 means as fast as possible.
 */
final class Pacer {
    private final double nanosPerEvent;
    private final long start = System.nanoTime();
    private long released;

    Pacer(final double eventsPerSecond) {
        this.nanosPerEvent = eventsPerSecond > 0 ? 1e9 / eventsPerSecond : 0;
    }

    void awaitNext() {
        if (nanosPerEvent > 0) {
            final long due = start + (long) (released * nanosPerEvent);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
        }
        released++;
    }
}
