package dev.streamrec.updater.ranking;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * An inverted-file index over the item matrix: the items are split into clusters by k-means, and a
 * user is scored only against the items of the few clusters whose centroids score best for them
 * ({@link ClusteredTopNScorer}). Immutable once built; the scores themselves are always read from
 * the live matrix, so only the assignment of items to clusters ages.
 *
 * <p><b>Inner product as a distance.</b> Top-N ranks by {@code b_i + p · q_i}, an inner product, and
 * k-means clusters by Euclidean distance. The transformation of Bachrach et al. ("Speeding Up the
 * Xbox Recommender System Using a Euclidean Transformation for Inner-Product Spaces", RecSys 2014,
 * §4) makes the two agree: with {@code M = max_i ‖(q_i, b_i)‖}, each item becomes
 * {@code x_i = (q_i, b_i, √(M² − ‖q_i‖² − b_i²))} (all of the same length {@code M}) and the user
 * {@code y = (p, 1, 0)}, so that {@code ‖y − x_i‖² = ‖p‖² + 1 + M² − 2 (b_i + p · q_i)}: the nearest
 * item is the best-scoring one. Clusters are built on the {@code x_i}; a user probes the centroids
 * {@code c} nearest to {@code y}, i.e. with the largest {@code y · c − ‖c‖² / 2}.
 *
 * <p><b>Cost.</b> k-means++ seeding (Arthur and Vassilvitskii, SODA 2007) and a few Lloyd
 * iterations on a sample of at most {@value #SAMPLE_PER_CLUSTER} items per cluster, then one pass
 * assigning every row: about {@code rows × clusters × (rank + 2)} multiply-adds per pass; for 10,000
 * items of rank 64 and 100 clusters, a few tens of milliseconds. Built off the stream threads
 * ({@link ClusterIndexRefresher}).
 *
 * <p>Rows appended to the matrix after the build ({@code row >= indexedRows()}) belong to no
 * cluster; the scorer scores them for every user until the next build.
 */
public final class ClusterIndex {

    /** Training sample per cluster: enough for stable centroids, bounded for big catalogues. */
    static final int SAMPLE_PER_CLUSTER = 64;
    /** Lloyd iterations after seeding; k-means moves little after the first few. */
    static final int LLOYD_ITERATIONS = 8;

    private final int rank;
    private final int clusters;
    /** Centroids' factor parts, row-major {@code clusters × rank}. */
    private final float[] centroidFactors;
    /** Per centroid: {@code c_b − ‖c‖² / 2}, the part of its probe score that does not depend on the user. */
    private final float[] centroidOffsets;
    /** Rows of cluster {@code c} are {@code members[memberStart[c] .. memberStart[c + 1])}, ascending. */
    private final int[] memberStart;
    private final int[] members;
    private final int indexedRows;

    private ClusterIndex(final int rank, final int clusters, final float[] centroidFactors, final float[] centroidOffsets,
                         final int[] memberStart, final int[] members, final int indexedRows) {
        this.rank = rank;
        this.clusters = clusters;
        this.centroidFactors = centroidFactors;
        this.centroidOffsets = centroidOffsets;
        this.memberStart = memberStart;
        this.members = members;
        this.indexedRows = indexedRows;
    }

    /** √rows clusters, the usual inverted-file choice: probing and scanning a cluster then cost alike. */
    public static int defaultClusters(final int rows) {
        return Math.max(1, (int) Math.round(Math.sqrt(rows)));
    }

    /**
     * Clusters the matrix's current rows (all of them, scorable or not: status is checked when
     * scoring, and an item that gains factors keeps its row). Deterministic for a given matrix
     * content and seed. May run while the matrix's writer updates rows: a row read half-updated
     * only lands in a slightly worse cluster.
     */
    public static ClusterIndex build(final ItemFactorMatrix matrix, final int clusters, final long seed) {
        if (clusters < 1) {
            throw new IllegalArgumentException("clusters must be at least 1, was " + clusters);
        }
        final ItemFactorMatrix.Snapshot snapshot = matrix.snapshot();
        final int rows = snapshot.size();
        final int rank = snapshot.rank();
        final int k = Math.max(1, Math.min(clusters, rows));
        final int dims = rank + 2;
        final float[] points = augmentedPoints(snapshot, rows, dims);
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] sample = sample(rows, Math.min(rows, SAMPLE_PER_CLUSTER * k), random);
        final float[] centroids = seedCentroids(points, dims, sample, k, random);
        final int[] sampleAssignment = new int[sample.length];
        for (int iteration = 0; iteration < LLOYD_ITERATIONS; iteration++) {
            assign(points, dims, sample, centroids, k, sampleAssignment);
            moveCentroids(points, dims, sample, sampleAssignment, centroids, k);
        }
        final int[] assignment = new int[rows];
        assign(points, dims, IntStream.range(0, rows).toArray(), centroids, k, assignment);
        return fromAssignment(rank, k, dims, centroids, assignment, rows);
    }

    /** Rows {@code [0, indexedRows)} were assigned to clusters; later rows are scored for everyone. */
    public int indexedRows() {
        return indexedRows;
    }

    public int clusters() {
        return clusters;
    }

    public int rank() {
        return rank;
    }

    /** Rows in cluster {@code c}. */
    int clusterSize(final int c) {
        return memberStart[c + 1] - memberStart[c];
    }

    int[] members() {
        return members;
    }

    int memberStart(final int c) {
        return memberStart[c];
    }

    /** Centroids' factor parts, row-major {@code clusters × rank}; read only. */
    float[] centroidFactors() {
        return centroidFactors;
    }

    /**
     * Per centroid, what its probe score adds to {@code p · c_q}: a user probes the clusters with
     * the largest {@code centroidOffsets[c] + p · c_q}. Read only.
     */
    float[] centroidOffsets() {
        return centroidOffsets;
    }

    /**
     * Writes into {@code out[0 .. probes)} the indices of the {@code probes} largest of
     * {@code scores[from .. from + count)} (relative to {@code from}), best first; returns how many
     * were written ({@code probes} capped at {@code count}). Scores must not be NaN.
     */
    static int best(final float[] scores, final int from, final int count, final int probes, final int[] out) {
        final int wanted = Math.min(probes, count);
        if (wanted <= 0) {
            return 0;
        }
        // Repeated insertion into a sorted prefix: probes is small (tens).
        int kept = 0;
        for (int c = 0; c < count; c++) {
            final float score = scores[from + c];
            if (kept == wanted && !(score > scores[from + out[kept - 1]])) {
                continue;
            }
            int position = kept == wanted ? kept - 1 : kept++;
            while (position > 0 && score > scores[from + out[position - 1]]) {
                out[position] = out[position - 1];
                position--;
            }
            out[position] = c;
        }
        return kept;
    }

    // ---------------------------------------------------------------- building

    /** The items as {@code (q_i, b_i, √(M² − ‖q_i‖² − b_i²))}, row-major. */
    private static float[] augmentedPoints(final ItemFactorMatrix.Snapshot snapshot, final int rows, final int dims) {
        final int rank = snapshot.rank();
        final float[] factors = snapshot.factors();
        final float[] biases = snapshot.biases();
        final float[] points = new float[rows * dims];
        final double[] squaredLengths = new double[rows];
        double maxSquaredLength = 0;
        for (int row = 0; row < rows; row++) {
            double squared = 0;
            for (int k = 0; k < rank; k++) {
                final float q = factors[row * rank + k];
                points[row * dims + k] = q;
                squared += (double) q * q;
            }
            final float bias = biases[row];
            points[row * dims + rank] = bias;
            squared += (double) bias * bias;
            squaredLengths[row] = Double.isFinite(squared) ? squared : 0;
            maxSquaredLength = Math.max(maxSquaredLength, squaredLengths[row]);
        }
        for (int row = 0; row < rows; row++) {
            points[row * dims + rank + 1] = (float) Math.sqrt(Math.max(0, maxSquaredLength - squaredLengths[row]));
        }
        return points;
    }

    /** {@code size} distinct rows of {@code [0, rows)}, by a partial Fisher–Yates shuffle. */
    private static int[] sample(final int rows, final int size, final SplittableRandom random) {
        final int[] all = IntStream.range(0, rows).toArray();
        for (int i = 0; i < size; i++) {
            final int j = random.nextInt(i, rows);
            final int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        return Arrays.copyOf(all, size);
    }

    /** k-means++: each next seed drawn with probability proportional to its squared distance to the nearest seed. */
    private static float[] seedCentroids(final float[] points, final int dims, final int[] sample, final int k,
                                         final SplittableRandom random) {
        final float[] centroids = new float[k * dims];
        final double[] nearest = new double[sample.length];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        int chosen = sample[random.nextInt(sample.length)];
        for (int c = 0; c < k; c++) {
            System.arraycopy(points, chosen * dims, centroids, c * dims, dims);
            double total = 0;
            for (int i = 0; i < sample.length; i++) {
                nearest[i] = Math.min(nearest[i], squaredDistance(points, sample[i] * dims, centroids, c * dims, dims));
                total += nearest[i];
            }
            if (c + 1 == k) {
                break;
            }
            if (!(total > 0)) { // every sampled point coincides with a seed: duplicates will do
                chosen = sample[random.nextInt(sample.length)];
                continue;
            }
            double target = random.nextDouble() * total;
            int pick = sample.length - 1;
            for (int i = 0; i < sample.length; i++) {
                target -= nearest[i];
                if (target <= 0) {
                    pick = i;
                    break;
                }
            }
            chosen = sample[pick];
        }
        return centroids;
    }

    private static void assign(final float[] points, final int dims, final int[] rows, final float[] centroids,
                               final int k, final int[] out) {
        for (int i = 0; i < rows.length; i++) {
            final int offset = rows[i] * dims;
            int best = 0;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                final double distance = squaredDistance(points, offset, centroids, c * dims, dims);
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = c;
                }
            }
            out[i] = best;
        }
    }

    /** Each centroid to the mean of its points; a cluster left empty keeps its centroid. */
    private static void moveCentroids(final float[] points, final int dims, final int[] rows, final int[] assignment,
                                      final float[] centroids, final int k) {
        final double[] sums = new double[k * dims];
        final int[] counts = new int[k];
        for (int i = 0; i < rows.length; i++) {
            final int c = assignment[i];
            counts[c]++;
            final int offset = rows[i] * dims;
            for (int d = 0; d < dims; d++) {
                sums[c * dims + d] += points[offset + d];
            }
        }
        for (int c = 0; c < k; c++) {
            if (counts[c] > 0) {
                for (int d = 0; d < dims; d++) {
                    centroids[c * dims + d] = (float) (sums[c * dims + d] / counts[c]);
                }
            }
        }
    }

    private static double squaredDistance(final float[] a, final int aOffset, final float[] b, final int bOffset,
                                          final int dims) {
        float sum = 0f;
        for (int d = 0; d < dims; d++) {
            final float difference = a[aOffset + d] - b[bOffset + d];
            sum += difference * difference;
        }
        return Float.isNaN(sum) ? Double.POSITIVE_INFINITY : sum;
    }

    private static ClusterIndex fromAssignment(final int rank, final int k, final int dims, final float[] centroids,
                                               final int[] assignment, final int rows) {
        final int[] memberStart = new int[k + 1];
        for (final int c : assignment) {
            memberStart[c + 1]++;
        }
        for (int c = 0; c < k; c++) {
            memberStart[c + 1] += memberStart[c];
        }
        final int[] members = new int[rows];
        final int[] fill = Arrays.copyOf(memberStart, k);
        for (int row = 0; row < rows; row++) { // ascending rows stay ascending within a cluster
            members[fill[assignment[row]]++] = row;
        }
        final float[] centroidFactors = new float[k * rank];
        final float[] centroidOffsets = new float[k];
        for (int c = 0; c < k; c++) {
            System.arraycopy(centroids, c * dims, centroidFactors, c * rank, rank);
            double squaredLength = 0;
            for (int d = 0; d < dims; d++) {
                squaredLength += (double) centroids[c * dims + d] * centroids[c * dims + d];
            }
            // y · c with y = (p, 1, 0) is p · c_q + c_b; the user's own ‖y‖² is the same for every c.
            centroidOffsets[c] = (float) (centroids[c * dims + rank] - squaredLength / 2);
        }
        return new ClusterIndex(rank, k, centroidFactors, centroidOffsets, memberStart, members, rows);
    }
}
