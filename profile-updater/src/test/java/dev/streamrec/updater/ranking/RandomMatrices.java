package dev.streamrec.updater.ranking;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded random matrices and queries for the ranking tests. */
final class RandomMatrices {

    private RandomMatrices() {
    }

    /**
     * Factors either from a tiny integer set (so exact ties are common: small integer sums are
     * exact in float) or continuous.
     */
    static float[] factors(final SplittableRandom random, final int rank, final boolean tieProne) {
        final float[] factors = new float[rank];
        for (int k = 0; k < rank; k++) {
            factors[k] = tieProne ? random.nextInt(-2, 3) : (float) (random.nextDouble() * 2 - 1);
        }
        return factors;
    }

    static float bias(final SplittableRandom random, final boolean tieProne) {
        return tieProne ? random.nextInt(-1, 2) : (float) (random.nextDouble() - 0.5);
    }

    /**
     * A matrix of {@code rows} items "i0", "i1", ... with some inactive (catalog), some removed
     * (factor tombstone), and some marked inactive before their first factors arrive.
     */
    static ItemFactorMatrix matrix(final SplittableRandom random, final int rows, final int rank, final boolean tieProne,
                                   final double inactiveShare) {
        final ItemFactorMatrix matrix = new ItemFactorMatrix(rank, 1 + random.nextInt(64));
        for (int i = 0; i < rows; i++) {
            final String id = "i" + i;
            if (random.nextDouble() < inactiveShare / 3) {
                matrix.setActive(id, false);
            }
            matrix.upsert(id, factors(random, rank, tieProne), bias(random, tieProne), 1 + random.nextInt(5));
        }
        for (int i = 0; i < rows; i++) {
            final double draw = random.nextDouble();
            if (draw < inactiveShare / 3) {
                matrix.setActive("i" + i, false);
            } else if (draw < 2 * inactiveShare / 3) {
                matrix.remove("i" + i);
            }
        }
        return matrix;
    }

    /** Ascending exclusions, with duplicates and rows beyond the matrix thrown in. */
    static int[] exclusions(final SplittableRandom random, final int rows) {
        final int count = random.nextInt(0, Math.max(1, rows / 2) + 3);
        final int[] excluded = new int[count];
        for (int i = 0; i < count; i++) {
            excluded[i] = random.nextInt(0, rows + 5);
        }
        Arrays.sort(excluded);
        return excluded;
    }
}
