package dev.streamrec.updater.ranking;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The inner loop of {@link TopNScorer}'s batch kernel: score a list of rows against one tile of
 * users and hand every score that beats its user's threshold to an {@link Offers}. Two
 * implementations give the same bits (each score is the bias plus the products added in factor
 * order, see the package comment): {@link ScalarTileKernel} (plain Java, any JVM) and
 * {@link PanamaTileKernel} (the incubating Vector API, which keeps the scores of several rows in
 * registers and checks the thresholds a vector at a time).
 *
 * <p>{@link #create()} picks the vector one when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} and the scalar one otherwise, under the same
 * system property as the SGD kernels ({@code streamrec.kernels} = {@code scalar} |
 * {@code vector} | {@code auto}, see {@code FactorKernels}), so one switch turns all vector code
 * off.
 *
 * <p>Instances hold scratch buffers: one per scorer, one thread at a time.
 */
interface TileKernel {

    /**
     * Receives a score that beat {@code thresholds[lane]}, and must store the lane's new
     * threshold there before returning (offers are the only thing that changes a threshold).
     */
    interface Offers {
        void offer(int lane, int row, float score);
    }

    /**
     * Lanes are padded to a multiple of this: tile columns and threshold arrays must hold
     * {@code lanes} rounded up to it, with zero factors and {@code +∞} thresholds in the padding.
     */
    int laneMultiple();

    /**
     * For each row {@code rows[0 .. rowCount)} (ascending), computes the score of every lane
     * {@code tiles[firstColumn + k][lane]}, k &lt; rank, and calls {@code offers} for each
     * {@code score > thresholds[lane]}, for any one lane in ascending row order.
     */
    void scoreRows(float[] factors, float[] biases, int rank, int[] rows, int rowCount,
                   float[][] tiles, int firstColumn, int lanes, float[] thresholds, Offers offers);

    /** Short name for logs and tests. */
    String name();

    /** A new kernel of the kind this JVM uses (the choice is made once). */
    static TileKernel create() {
        return Selection.VECTOR ? new PanamaTileKernel() : new ScalarTileKernel();
    }

    /** Lazy holder: decides once, logs once. */
    final class Selection {
        private static final String PROPERTY = "streamrec.kernels";
        private static final String VECTOR_MODULE = "jdk.incubator.vector";
        private static final Logger LOG = LoggerFactory.getLogger(TopNScorer.class);
        static final boolean VECTOR = choose(System.getProperty(PROPERTY, "auto"));

        private Selection() {
        }

        static boolean choose(final String requested) {
            final String mode = requested.trim().toLowerCase(Locale.ROOT);
            final boolean moduleLoaded = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
            switch (mode) {
                case "scalar":
                    return log(false, "scalar requested");
                case "vector":
                    if (!moduleLoaded) {
                        throw new IllegalStateException("-D" + PROPERTY + "=vector needs the JVM option --add-modules "
                                + VECTOR_MODULE);
                    }
                    return log(true, "vector requested");
                case "auto":
                    if (!moduleLoaded) {
                        return log(false, "start the JVM with --add-modules " + VECTOR_MODULE + " for the vector kernel");
                    }
                    if (!PanamaTileKernel.worthIt()) {
                        return log(false, "the preferred float vector has fewer than 4 lanes");
                    }
                    return log(true, VECTOR_MODULE + " is loaded");
                default:
                    throw new IllegalArgumentException("-D" + PROPERTY + " must be scalar, vector or auto, was '"
                            + requested + "'");
            }
        }

        private static boolean log(final boolean vector, final String why) {
            LOG.info("top-N tile kernel: {} ({})", vector ? "vector" : "scalar", why);
            return vector;
        }
    }
}
