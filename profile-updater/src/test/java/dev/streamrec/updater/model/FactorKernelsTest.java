package dev.streamrec.updater.model;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Both kernel implementations against double-precision sums, on every slice length from 0 to 70
 * and at offsets (so that the vector loops, their scalar tails and slices of longer arrays are
 * all covered), plus the properties the rest of the model relies on: the update is the same bits
 * either way, and the vector sums are deterministic.
 *
 * <p>The build runs tests with {@code --add-modules jdk.incubator.vector} (root pom), so
 * {@link FactorKernels#vector()} is available here as it is in production.
 */
class FactorKernelsTest {
    private static final FactorKernels SCALAR = FactorKernels.scalar();
    private static final FactorKernels VECTOR = FactorKernels.vector();
    private static final int MAX_LENGTH = 70;

    private static float[] random(final SplittableRandom random, final int length) {
        final float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    private static double exactDot(final float[] x, final int xOffset, final float[] y, final int yOffset,
                                   final int length) {
        double sum = 0;
        for (int f = 0; f < length; f++) {
            sum += (double) x[xOffset + f] * y[yOffset + f];
        }
        return sum;
    }

    @Test
    void sumsMatchDoublePrecisionOnEveryLengthAndOffset() {
        final SplittableRandom random = new SplittableRandom(11);
        for (final FactorKernels kernels : new FactorKernels[] {SCALAR, VECTOR}) {
            for (int length = 0; length <= MAX_LENGTH; length++) {
                final int xOffset = random.nextInt(5);
                final int yOffset = random.nextInt(5);
                final float[] x = random(random, xOffset + length + 3);
                final float[] y = random(random, yOffset + length + 3);
                // float sums of `length` terms of magnitude ≤ 1: a few ulps of the length suffice.
                final double tolerance = 1e-6 * (length + 1);
                final double dot = exactDot(x, xOffset, y, yOffset, length);
                assertThat((double) kernels.dot(x, xOffset, y, yOffset, length))
                        .as("%s dot, length %d", kernels.name(), length).isCloseTo(dot, within(tolerance));
                final Moments moments = kernels.moments(x, xOffset, y, yOffset, length);
                assertThat((double) moments.dot()).as("%s moments.dot, length %d", kernels.name(), length)
                        .isCloseTo(dot, within(tolerance));
                assertThat((double) moments.xx()).as("%s |x|², length %d", kernels.name(), length)
                        .isCloseTo(exactDot(x, xOffset, x, xOffset, length), within(tolerance));
                assertThat((double) moments.yy()).as("%s |y|², length %d", kernels.name(), length)
                        .isCloseTo(exactDot(y, yOffset, y, yOffset, length), within(tolerance));
            }
        }
    }

    @Test
    void scaleAndAddGivesTheSameBitsEitherWayAndLeavesTheRestAlone() {
        final SplittableRandom random = new SplittableRandom(12);
        for (int length = 0; length <= MAX_LENGTH; length++) {
            final float[] x = random(random, length + 6);
            final float[] y = random(random, length + 2);
            final float[] viaScalar = x.clone();
            final float[] viaVector = x.clone();
            SCALAR.scaleAndAdd(viaScalar, 3, 0.97f, -0.013f, y, 1, length);
            VECTOR.scaleAndAdd(viaVector, 3, 0.97f, -0.013f, y, 1, length);
            assertThat(viaVector).as("length %d", length).containsExactly(viaScalar);
            for (int f = 0; f < x.length; f++) {
                final float expected = f >= 3 && f < 3 + length ? Math.fma(-0.013f, y[f - 2], 0.97f * x[f]) : x[f];
                assertThat(viaScalar[f]).as("entry %d of length %d", f, length).isEqualTo(expected);
            }
        }
    }

    /**
     * A restored model must predict the same bits as before a restart whether the JIT has compiled
     * the kernel or not: the vector sums must follow one fixed order. Checked here against an
     * explicit lane-by-lane sum, before and after enough calls for the JIT to compile the loop.
     */
    @Test
    void vectorDotIsDeterministicBeforeAndAfterCompilation() {
        final SplittableRandom random = new SplittableRandom(13);
        final int length = 64;
        final float[][] xs = new float[64][];
        final float[][] ys = new float[64][];
        final float[] first = new float[xs.length];
        for (int v = 0; v < xs.length; v++) {
            xs[v] = random(random, length);
            ys[v] = random(random, length);
            // Magnitudes from 1e-3 to 1e3: any change of summation order changes the rounding.
            for (int f = 0; f < length; f++) {
                xs[v][f] *= (float) Math.pow(10, random.nextInt(7) - 3);
            }
            first[v] = VECTOR.dot(xs[v], 0, ys[v], 0, length);
            assertThat(first[v]).as("vector %d, first call", v).isEqualTo(laneOrderDot(xs[v], ys[v], length));
        }
        float sink = 0;
        for (int round = 0; round < 20_000; round++) {
            for (int v = 0; v < xs.length; v++) {
                sink += VECTOR.dot(xs[v], 0, ys[v], 0, length);
            }
        }
        for (int v = 0; v < xs.length; v++) {
            assertThat(VECTOR.dot(xs[v], 0, ys[v], 0, length)).as("vector %d after warm-up", v)
                    .isEqualTo(laneOrderDot(xs[v], ys[v], length));
        }
        assertThat(sink).isFinite();
    }

    /** The order PanamaFactorKernels documents: per-lane fused sums, then lanes added from lane 0. */
    private static float laneOrderDot(final float[] x, final float[] y, final int length) {
        final int lanes = PanamaFactorKernels.LANES;
        final float[] perLane = new float[lanes];
        int f = 0;
        for (; f + lanes <= length; f += lanes) {
            for (int lane = 0; lane < lanes; lane++) {
                perLane[lane] = Math.fma(x[f + lane], y[f + lane], perLane[lane]);
            }
        }
        float total = 0f;
        for (final float lane : perLane) {
            total += lane;
        }
        for (; f < length; f++) {
            total = Math.fma(x[f], y[f], total);
        }
        return total;
    }

    @Test
    void selectionNamesTheSystemPropertyWhenItIsWrong() {
        assertThat(FactorKernels.Selection.choose("scalar").name()).isEqualTo("scalar");
        assertThat(FactorKernels.Selection.choose(" Vector ").name()).startsWith("vector");
        assertThatThrownBy(() -> FactorKernels.Selection.choose("fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("streamrec.kernels").hasMessageContaining("fast");
    }

    @Test
    void theBuildRunsTheVectorKernels() {
        assertThat(FactorKernels.selected().name()).startsWith("vector");
    }
}
