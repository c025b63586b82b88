package dev.streamrec.bench.e2e;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Holds a sender to a fixed offered load: event n is due at start + n / rate, and a stall is
 * followed by a catch-up burst instead of silently lowering the load (which would hide
 * coordinated omission from the latency figures). Rate ≤ 0 means as fast as possible.
 *
 * <p>Events are released in ticks of {@link #TICK_NANOS}: every event due within a tick goes out
 * when the tick starts, so at 5,000 events/s the sender wakes 1,000 times a second instead of
 * 5,000. The harness shares the two cores with what it measures: with one timed park per event
 * its threads cost 36-37 µs of CPU per paced event, with ticks 19-24 (latency runs of the
 * end-to-end benchmark). The input producer lingers 5 ms anyway, so what reaches the broker is
 * batched the same either way; no event leaves more than a tick before it is due.
 */
final class Pacer {
    static final long TICK_NANOS = 1_000_000;

    private final double nanosPerEvent;
    private final LongSupplier nanoTime;
    private final LongConsumer park;
    private final long start;
    private long released;

    Pacer(final double eventsPerSecond) {
        this(eventsPerSecond, System::nanoTime, LockSupport::parkNanos);
    }

    /** With an injected clock and park, for tests. */
    Pacer(final double eventsPerSecond, final LongSupplier nanoTime, final LongConsumer park) {
        this.nanosPerEvent = eventsPerSecond > 0 ? 1e9 / eventsPerSecond : 0;
        this.nanoTime = nanoTime;
        this.park = park;
        this.start = nanoTime.getAsLong();
    }

    void awaitNext() {
        if (nanosPerEvent > 0) {
            final long dueOffset = (long) (released * nanosPerEvent);
            final long releaseAt = start + dueOffset - dueOffset % TICK_NANOS;
            long wait;
            while ((wait = releaseAt - nanoTime.getAsLong()) > 0) {
                park.accept(wait);
            }
        }
        released++;
    }
}
