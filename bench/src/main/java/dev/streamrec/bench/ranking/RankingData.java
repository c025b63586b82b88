package dev.streamrec.bench.ranking;

import dev.streamrec.updater.ranking.ItemFactorMatrix;
import dev.streamrec.updater.ranking.UserQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The benchmark's data, seeded so every run and every fork scores the same numbers: a catalog
 * of item factors (about 1 % inactive) and a batch of users, each excluding 50–200 random items
 * (what they bought or rated).
 */
final class RankingData {

    static final long SEED = 42L;
    static final double INACTIVE_SHARE = 0.01;
    static final int MIN_EXCLUDED = 50;
    static final int MAX_EXCLUDED = 200;

    private RankingData() {
    }

    /** Factors of the scale an SGD-trained model has: small, centred, roughly normal. */
    static ItemFactorMatrix matrix(final int items, final int rank, final int initialCapacity) {
        final SplittableRandom random = new SplittableRandom(SEED);
        final ItemFactorMatrix matrix = new ItemFactorMatrix(rank, initialCapacity);
        final float[] factors = new float[rank];
        for (int i = 0; i < items; i++) {
            for (int k = 0; k < rank; k++) {
                factors[k] = (float) (gaussian(random) * 0.1);
            }
            matrix.upsert(itemId(i), factors, (float) (gaussian(random) * 0.05), 1);
        }
        for (int i = 0; i < items; i++) {
            if (random.nextDouble() < INACTIVE_SHARE) {
                matrix.setActive(itemId(i), false);
            }
        }
        return matrix;
    }

    static List<UserQuery> users(final int count, final int rank, final int items) {
        final SplittableRandom random = new SplittableRandom(SEED + 1);
        final List<UserQuery> users = new ArrayList<>(count);
        for (int u = 0; u < count; u++) {
            final float[] factors = new float[rank];
            for (int k = 0; k < rank; k++) {
                factors[k] = (float) (gaussian(random) * 0.1);
            }
            users.add(new UserQuery(factors, exclusions(random, items)));
        }
        return users;
    }

    /**
     * A catalogue with taste structure, like a trained model's and the end-to-end workload's:
     * each item near one of {@code categories} centroids (centroid scale 0.1, noise 0.03).
     */
    static ItemFactorMatrix tasteMatrix(final int items, final int rank, final int categories) {
        final SplittableRandom random = new SplittableRandom(SEED);
        final float[][] centroids = centroids(random, categories, rank);
        final ItemFactorMatrix matrix = new ItemFactorMatrix(rank, items);
        final float[] factors = new float[rank];
        for (int i = 0; i < items; i++) {
            final float[] centroid = centroids[random.nextInt(categories)];
            for (int k = 0; k < rank; k++) {
                factors[k] = centroid[k] + (float) (gaussian(random) * 0.03);
            }
            matrix.upsert(itemId(i), factors, (float) (gaussian(random) * 0.05), 1);
        }
        return matrix;
    }

    /** Users between two of the same centroids as {@link #tasteMatrix}, excluding 50–200 items each. */
    static List<UserQuery> tasteUsers(final int count, final int rank, final int items, final int categories) {
        final float[][] centroids = centroids(new SplittableRandom(SEED), categories, rank);
        final SplittableRandom random = new SplittableRandom(SEED + 1);
        final List<UserQuery> users = new ArrayList<>(count);
        for (int u = 0; u < count; u++) {
            final float[] a = centroids[random.nextInt(categories)];
            final float[] b = centroids[random.nextInt(categories)];
            final double share = random.nextDouble();
            final float[] factors = new float[rank];
            for (int k = 0; k < rank; k++) {
                factors[k] = (float) (share * a[k] + (1 - share) * b[k] + gaussian(random) * 0.03);
            }
            users.add(new UserQuery(factors, exclusions(random, items)));
        }
        return users;
    }

    private static float[][] centroids(final SplittableRandom random, final int categories, final int rank) {
        final float[][] centroids = new float[categories][rank];
        for (final float[] centroid : centroids) {
            for (int k = 0; k < rank; k++) {
                centroid[k] = (float) (gaussian(random) * 0.1);
            }
        }
        return centroids;
    }

    private static int[] exclusions(final SplittableRandom random, final int items) {
        final int[] excluded = new int[random.nextInt(MIN_EXCLUDED, MAX_EXCLUDED + 1)];
        for (int e = 0; e < excluded.length; e++) {
            excluded[e] = random.nextInt(items);
        }
        Arrays.sort(excluded);
        return excluded;
    }

    static String itemId(final int i) {
        return "item-" + i;
    }

    /** Box–Muller; SplittableRandom has no nextGaussian on Java 17. */
    private static double gaussian(final SplittableRandom random) {
        final double u1 = 1.0 - random.nextDouble();
        final double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
