package dev.streamrec.updater.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DecayedCountTest {
    private static final double HALF_LIFE = 1_000.0;

    @Test
    void aCountIsTheSameSumWhicheverOrderItsEventsArriveIn() {
        final DecayedCount inOrder = DecayedCount.NONE.plus(4, 0, HALF_LIFE).plus(1, 1_000, HALF_LIFE).plus(2, 3_000, HALF_LIFE);
        final DecayedCount shuffled = DecayedCount.NONE.plus(2, 3_000, HALF_LIFE).plus(4, 0, HALF_LIFE).plus(1, 1_000, HALF_LIFE);
        // At 3,000: 4 / 8 + 1 / 4 + 2.
        assertThat(inOrder.atMillis()).isEqualTo(3_000);
        assertThat(shuffled.atMillis()).isEqualTo(3_000);
        assertThat(inOrder.score()).isCloseTo(2.75, within(1e-12));
        assertThat(shuffled.score()).isCloseTo(2.75, within(1e-12));
    }

    @Test
    void theValueHalvesPerHalfLifeAndNothingStaysNothing() {
        final DecayedCount count = new DecayedCount(8, 10_000);
        assertThat(count.valueAt(12_000, HALF_LIFE)).isCloseTo(2.0, within(1e-12));
        assertThat(count.valueAt(9_000, HALF_LIFE)).isCloseTo(16.0, within(1e-12));
        assertThat(DecayedCount.NONE.valueAt(5_000, HALF_LIFE)).isZero();
    }
}
