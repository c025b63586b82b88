package dev.streamrec.updater.model;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PopularitySamplerTest {

    private static Map<String, Integer> draw(final PopularitySampler sampler, final int draws, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final Map<String, Integer> histogram = new HashMap<>();
        for (int n = 0; n < draws; n++) {
            histogram.merge(sampler.sample(random), 1, Integer::sum);
        }
        return histogram;
    }

    @Test
    void drawsInProportionToCountToTheExponent() {
        for (final double exponent : new double[] {0.0, 0.5, 1.0}) {
            final PopularitySampler sampler = new PopularitySampler(exponent);
            final int[] counts = {1, 4, 16, 64};
            double totalWeight = 0;
            for (int item = 0; item < counts.length; item++) {
                sampler.setCount("item-" + item, counts[item]);
                totalWeight += Math.pow(counts[item], exponent);
            }
            final int draws = 200_000;
            final Map<String, Integer> histogram = draw(sampler, draws, 99);
            for (int item = 0; item < counts.length; item++) {
                final double expected = Math.pow(counts[item], exponent) / totalWeight;
                // 5 binomial standard deviations at most (about 0.0011 here).
                final double tolerance = 5 * Math.sqrt(expected * (1 - expected) / draws);
                assertThat(histogram.getOrDefault("item-" + item, 0) / (double) draws)
                        .as("exponent %s, item %d", exponent, item).isCloseTo(expected, within(tolerance));
            }
        }
    }

    @Test
    void incrementalCountsMoveTheDistribution() {
        final PopularitySampler sampler = new PopularitySampler(1.0);
        sampler.recordInteraction("a");
        sampler.recordInteraction("b");
        for (int n = 0; n < 8; n++) {
            sampler.recordInteraction("b");
        }
        assertThat(sampler.count("b")).isEqualTo(9);
        assertThat(sampler.weight("b")).isEqualTo(9.0);
        final Map<String, Integer> histogram = draw(sampler, 50_000, 3);
        assertThat(histogram.get("b") / 50_000.0).isCloseTo(0.9, within(0.01));
    }

    @Test
    void neverDrawsUncountedOrExcludedItems() {
        final PopularitySampler sampler = new PopularitySampler(0.5);
        sampler.setCount("never", 0);
        for (int item = 0; item < 50; item++) {
            sampler.setCount("item-" + item, item + 1L);
        }
        final Set<String> excluded = Set.of("item-49", "item-48", "item-47");
        final List<String> negatives = sampler.sampleNegatives(5_000, excluded::contains, new SplittableRandom(5));
        assertThat(negatives).hasSize(5_000).doesNotContain("never", "item-49", "item-48", "item-47");
    }

    @Test
    void givesUpAfterBoundedRetriesWhenEverythingIsExcluded() {
        final PopularitySampler sampler = new PopularitySampler(1.0, 4);
        sampler.recordInteraction("only");
        final int[] calls = {0};
        final List<String> negatives = sampler.sampleNegatives(3, id -> {
            calls[0]++;
            return true;
        }, new SplittableRandom(1));
        assertThat(negatives).isEmpty();
        assertThat(calls[0]).isEqualTo(3 * 4);
        assertThat(new PopularitySampler(1.0).sampleNegatives(2, id -> false, new SplittableRandom(1))).isEmpty();
    }

    @Test
    void growsPastItsInitialCapacityWithoutLosingWeights() {
        final PopularitySampler sampler = new PopularitySampler(1.0);
        for (int item = 0; item < 5_000; item++) {
            sampler.setCount("item-" + item, item == 4_321 ? 5_000 : 1);
        }
        assertThat(sampler.size()).isEqualTo(5_000);
        final Map<String, Integer> histogram = draw(sampler, 20_000, 8);
        // weight 5000 out of 4999 + 5000: about one half.
        assertThat(histogram.get("item-4321") / 20_000.0).isCloseTo(5_000.0 / 9_999, within(0.02));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new PopularitySampler(-1)).hasMessageStartingWith("exponent");
        assertThatThrownBy(() -> new PopularitySampler(1, 0)).hasMessageStartingWith("maxAttemptsPerNegative");
        assertThatThrownBy(() -> new PopularitySampler(1).setCount("x", -1)).hasMessageStartingWith("count");
    }
}
