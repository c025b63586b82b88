package dev.streamrec.updater.ranking;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TileKernel} on the Vector API (JEP 414, incubating in Java 17; needs
 * {@code --add-modules jdk.incubator.vector}, see {@link TileKernel#create()}).
 *
 * <p>A register-blocked micro-kernel: two vectors of users ({@link #STEP} lanes) times four rows
 * keep eight accumulators in registers for the whole factor loop, so per factor it loads two
 * vectors of user factors and four row factors, and never loads or stores a score. Each
 * accumulator starts at the row's bias and takes {@code acc.add(p.mul(q))} per factor: a
 * separate multiply and add, each rounded, exactly the scalar {@code s += p * q} per lane (no
 * fused multiply-add, which would round once and change the bits).
 *
 * <p>Each accumulator is then compared with its lanes' thresholds as one vector; only a vector
 * with a winning lane is written out and offered lane by lane. One test per vector rather than
 * one for all eight: about 146 of 10,000 rows reach each user's heap (top 20), so a combined
 * test would send all 128 scores of most groups through the scalar loop. {@code >} on a NaN is
 * false in the vector compare as in Java, so NaN is never offered and never hides a winner.
 */
final class PanamaTileKernel implements TileKernel {

    /**
     * The widest float vector the CPU has. Unlike the SGD kernels there is no lane reduction to
     * pay for width: 512 bits measured 34.7 µs per user against 43.6 at 256 (items 10,000,
     * rank 64, 256 users, AVX-512 Xeon; TopNBenchmark.batched, one run each).
     */
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Users per micro-kernel pass: two vectors. */
    private static final int STEP = 2 * LANES;
    /** Rows per micro-kernel pass. */
    private static final int ROWS = 4;

    /** One vector of scores, written out only when some lane beats its threshold. */
    private final float[] spill = new float[LANES];

    /** False where vectors are too narrow to beat the scalar loop (which C2 vectorises itself). */
    static boolean worthIt() {
        return LANES >= 4;
    }

    @Override
    public int laneMultiple() {
        return STEP;
    }

    @Override
    public void scoreRows(final float[] factors, final float[] biases, final int rank, final int[] rows,
                          final int rowCount, final float[][] tiles, final int firstColumn, final int lanes,
                          final float[] thresholds, final Offers offers) {
        for (int lane = 0; lane < lanes; lane += STEP) {
            int i = 0;
            for (; i + ROWS <= rowCount; i += ROWS) {
                scoreFourRows(factors, biases, rank, rows, i, tiles, firstColumn, lane, thresholds, offers);
            }
            for (; i < rowCount; i++) {
                scoreOneRow(factors, biases, rank, rows, i, tiles, firstColumn, lane, thresholds, offers);
            }
        }
    }

    private void scoreFourRows(final float[] factors, final float[] biases, final int rank, final int[] rows,
                               final int i, final float[][] tiles, final int firstColumn, final int lane,
                               final float[] thresholds, final Offers offers) {
        final int o0 = rows[i] * rank;
        final int o1 = rows[i + 1] * rank;
        final int o2 = rows[i + 2] * rank;
        final int o3 = rows[i + 3] * rank;
        FloatVector a0 = FloatVector.broadcast(SPECIES, biases[rows[i]]);
        FloatVector a1 = FloatVector.broadcast(SPECIES, biases[rows[i + 1]]);
        FloatVector a2 = FloatVector.broadcast(SPECIES, biases[rows[i + 2]]);
        FloatVector a3 = FloatVector.broadcast(SPECIES, biases[rows[i + 3]]);
        FloatVector b0 = a0;
        FloatVector b1 = a1;
        FloatVector b2 = a2;
        FloatVector b3 = a3;
        for (int k = 0; k < rank; k++) {
            final float[] p = tiles[firstColumn + k];
            final FloatVector pa = FloatVector.fromArray(SPECIES, p, lane);
            final FloatVector pb = FloatVector.fromArray(SPECIES, p, lane + LANES);
            final float q0 = factors[o0 + k];
            final float q1 = factors[o1 + k];
            final float q2 = factors[o2 + k];
            final float q3 = factors[o3 + k];
            a0 = a0.add(pa.mul(q0));
            b0 = b0.add(pb.mul(q0));
            a1 = a1.add(pa.mul(q1));
            b1 = b1.add(pb.mul(q1));
            a2 = a2.add(pa.mul(q2));
            b2 = b2.add(pb.mul(q2));
            a3 = a3.add(pa.mul(q3));
            b3 = b3.add(pb.mul(q3));
        }
        // Row by row, so each user still sees its rows in ascending order. The thresholds only
        // rise, so testing a later row against ta/tb read before an offer is at worst too
        // permissive, and offerWinners re-checks against the current value.
        final FloatVector ta = FloatVector.fromArray(SPECIES, thresholds, lane);
        final FloatVector tb = FloatVector.fromArray(SPECIES, thresholds, lane + LANES);
        offerWinners(a0, ta, rows[i], lane, thresholds, offers);
        offerWinners(b0, tb, rows[i], lane + LANES, thresholds, offers);
        offerWinners(a1, ta, rows[i + 1], lane, thresholds, offers);
        offerWinners(b1, tb, rows[i + 1], lane + LANES, thresholds, offers);
        offerWinners(a2, ta, rows[i + 2], lane, thresholds, offers);
        offerWinners(b2, tb, rows[i + 2], lane + LANES, thresholds, offers);
        offerWinners(a3, ta, rows[i + 3], lane, thresholds, offers);
        offerWinners(b3, tb, rows[i + 3], lane + LANES, thresholds, offers);
    }

    private void scoreOneRow(final float[] factors, final float[] biases, final int rank, final int[] rows,
                             final int i, final float[][] tiles, final int firstColumn, final int lane,
                             final float[] thresholds, final Offers offers) {
        final int row = rows[i];
        final int offset = row * rank;
        FloatVector a = FloatVector.broadcast(SPECIES, biases[row]);
        FloatVector b = a;
        for (int k = 0; k < rank; k++) {
            final float[] p = tiles[firstColumn + k];
            final float q = factors[offset + k];
            a = a.add(FloatVector.fromArray(SPECIES, p, lane).mul(q));
            b = b.add(FloatVector.fromArray(SPECIES, p, lane + LANES).mul(q));
        }
        offerWinners(a, FloatVector.fromArray(SPECIES, thresholds, lane), row, lane, thresholds, offers);
        offerWinners(b, FloatVector.fromArray(SPECIES, thresholds, lane + LANES), row, lane + LANES, thresholds, offers);
    }

    /**
     * Offers the scores of one row for lanes {@code lane .. lane + LANES) that beat their
     * threshold. The vector test is the common, cheap case; the scalar loop re-checks each lane
     * against the current threshold, which an earlier offer may have raised.
     */
    private void offerWinners(final FloatVector scores, final FloatVector threshold, final int row, final int lane,
                              final float[] thresholds, final Offers offers) {
        if (!scores.compare(VectorOperators.GT, threshold).anyTrue()) {
            return;
        }
        scores.intoArray(spill, 0);
        for (int l = 0; l < LANES; l++) {
            final float score = spill[l];
            if (score > thresholds[lane + l]) {
                offers.offer(lane + l, row, score);
            }
        }
    }

    @Override
    public String name() {
        return "vector (" + LANES + " x float, " + ROWS + " rows x " + STEP + " users per pass)";
    }
}
