package dev.streamrec.updater.clean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RecentEventsTest {
    private static final long W = 60_000;

    @Test
    void matchesTheSameFingerprintWithinTheWindowInEitherOrder() {
        final RecentEvents memory = RecentEvents.empty(4);
        assertThat(memory.keep(7L, 1_000_000, 0)).isTrue();

        assertThat(memory.contains(7L, 1_000_000 + W, W)).isTrue();
        assertThat(memory.contains(7L, 1_000_000 - W, W)).isTrue();
        assertThat(memory.contains(7L, 1_000_000 + W + 1, W)).isFalse();
        assertThat(memory.contains(8L, 1_000_000, W)).isFalse();
    }

    @Test
    void survivesPackingAndForgetsWhatIsOlderThanTheHorizon() {
        final RecentEvents memory = RecentEvents.empty(4);
        memory.keep(1L, 100, 0);
        memory.keep(2L, 200, 0);
        final RecentEvents copy = RecentEvents.unpack(memory.pack(), 4);
        assertThat(copy.size()).isEqualTo(2);
        assertThat(copy.newest()).isEqualTo(200);
        assertThat(copy.contains(1L, 100, 0)).isTrue();

        copy.keep(3L, 300, 150); // event 1, at 100, is behind the horizon
        assertThat(copy.size()).isEqualTo(2);
        assertThat(copy.contains(1L, 100, W)).isFalse();
        assertThat(copy.contains(2L, 200, 0)).isTrue();
        assertThat(copy.pack().remaining()).isEqualTo(8 + 2 * 16);
    }

    @Test
    void aFullMemoryRefusesTheEventAndNotesTheTimeFiledElsewhere() {
        final RecentEvents memory = RecentEvents.empty(2);
        assertThat(memory.mayHaveFiledWithin(500, W)).isFalse();
        memory.keep(1L, 100, 0);
        memory.keep(2L, 200, 0);

        assertThat(memory.keep(3L, 400, 0)).isFalse();
        assertThat(memory.keep(4L, 300, 0)).isFalse();
        assertThat(memory.size()).isEqualTo(2);
        assertThat(memory.spilledUpTo()).isEqualTo(400);
        assertThat(memory.mayHaveFiledWithin(400 + W, W)).isTrue();
        assertThat(memory.mayHaveFiledWithin(401 + W, W)).isFalse();
        assertThat(RecentEvents.unpack(memory.pack(), 2).spilledUpTo()).isEqualTo(400);

        // Once the horizon passes the kept events there is room again.
        assertThat(memory.keep(5L, 1_000, 500)).isTrue();
        assertThat(memory.size()).isEqualTo(1);
    }

    @Test
    void aProfileFromBeforeTheMemoryHasEverythingUpToStreamTimeInTheStore() {
        final RecentEvents memory = RecentEvents.allFiledUpTo(4, 10_000);
        assertThat(memory.size()).isZero();
        assertThat(memory.mayHaveFiledWithin(10_000 + W, W)).isTrue();
        assertThat(memory.mayHaveFiledWithin(10_001 + W, W)).isFalse();
    }

    @Test
    void aMemoryWrittenWithALargerBoundKeepsItsEntriesUntilTheyAge() {
        final RecentEvents large = RecentEvents.empty(3);
        large.keep(1L, 100, 0);
        large.keep(2L, 200, 0);
        large.keep(3L, 300, 0);
        final RecentEvents smaller = RecentEvents.unpack(large.pack(), 2);
        assertThat(smaller.size()).isEqualTo(3);
        assertThat(smaller.contains(1L, 100, 0)).isTrue();
        assertThat(smaller.keep(4L, 400, 0)).isFalse();
        assertThat(smaller.keep(5L, 500, 250)).isTrue(); // two aged out, one slot below the bound
        assertThat(smaller.size()).isEqualTo(2);
    }

    @Test
    void refusesBytesThatAreNotItsLayout() {
        assertThatThrownBy(() -> RecentEvents.unpack(ByteBuffer.allocate(8 + 15), 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("23 bytes");
        assertThatThrownBy(() -> RecentEvents.unpack(ByteBuffer.allocate(4), 4)).isInstanceOf(IllegalArgumentException.class);
    }
}
