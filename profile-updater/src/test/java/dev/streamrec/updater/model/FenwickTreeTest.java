package dev.streamrec.updater.model;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FenwickTreeTest {

    @Test
    void prefixSumsAndFindAgreeWithABruteForceArrayUnderRandomUpdatesAndGrowth() {
        final FenwickTree tree = new FenwickTree(4);
        final double[] reference = new double[3_000];
        final SplittableRandom random = new SplittableRandom(17);
        for (int update = 0; update < 20_000; update++) {
            final int index = random.nextInt(reference.length);
            final double weight = random.nextInt(4) == 0 ? 0.0 : random.nextDouble() * 10;
            tree.set(index, weight);
            reference[index] = weight;
            if (update % 997 == 0) {
                double prefix = 0;
                for (int i = 0; i < reference.length; i++) {
                    assertThat(tree.prefixSum(i)).isCloseTo(prefix, within(1e-6));
                    prefix += reference[i];
                }
                assertThat(tree.total()).isCloseTo(prefix, within(1e-6));
            }
        }
        assertThat(tree.capacity()).isGreaterThanOrEqualTo(reference.length);
        // find(t) must return the index whose interval [prefix(i), prefix(i+1)) contains t.
        for (int probe = 0; probe < 2_000; probe++) {
            final double target = random.nextDouble() * tree.total();
            final int found = tree.find(target);
            assertThat(reference[found]).isPositive();
            assertThat(tree.prefixSum(found)).isLessThanOrEqualTo(target + 1e-9);
            assertThat(tree.prefixSum(found + 1)).isGreaterThan(target - 1e-9);
        }
    }
}
