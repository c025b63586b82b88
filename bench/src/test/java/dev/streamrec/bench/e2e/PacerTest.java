package dev.streamrec.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {
    /** A clock that only moves when the pacer parks, so every park is a wake-up we can count. */
    private static final class FakeClock {
        long now = 1_000_000_000L;
        final List<Long> wakeUps = new ArrayList<>();

        void park(final long nanos) {
            now += nanos;
            wakeUps.add(now);
        }
    }

    @Test
    void releasesEveryEventDueInATickAtTheTicksStartAndNeverEarlier() {
        final FakeClock clock = new FakeClock();
        final long start = clock.now;
        final Pacer pacer = new Pacer(5_000, () -> clock.now, clock::park);
        final List<Long> releases = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            pacer.awaitNext();
            releases.add(clock.now);
        }
        // 50 events at 5,000/s span 10 ms: 10 ticks, so 9 wake-ups after the first tick, not 49.
        assertEquals(9, clock.wakeUps.size());
        for (int n = 0; n < 50; n++) {
            final long due = start + n * 200_000L;
            final long released = releases.get(n);
            assertTrue(released <= due && due - released < Pacer.TICK_NANOS,
                    "event " + n + " released at +" + (released - start) + " ns, due at +" + (due - start));
        }
    }

    @Test
    void catchesUpAfterAStallInsteadOfLoweringTheLoad() {
        final FakeClock clock = new FakeClock();
        final long start = clock.now;
        final Pacer pacer = new Pacer(5_000, () -> clock.now, clock::park);
        pacer.awaitNext();
        clock.now += 20_000_000; // the sender stalled for 20 ms
        final long stallEnd = clock.now;
        int releasedAtStallEnd = 0;
        for (int n = 1; n <= 150; n++) {
            pacer.awaitNext();
            if (clock.now == stallEnd) {
                releasedAtStallEnd++;
            }
        }
        // Events 1..100 fell due during the stall and go out at once, with 101..104 whose tick
        // (20-21 ms) has started; the rest are paced again: event 150 is due at 30 ms.
        assertEquals(104, releasedAtStallEnd);
        assertEquals(start + 30_000_000, clock.now);
    }

    @Test
    void aRateOfZeroNeverWaits() {
        final FakeClock clock = new FakeClock();
        final Pacer pacer = new Pacer(0, () -> clock.now, clock::park);
        for (int n = 0; n < 1_000; n++) {
            pacer.awaitNext();
        }
        assertEquals(0, clock.wakeUps.size());
    }
}
