package dev.streamrec.updater.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The kernels on the Vector API (JEP 414, incubating in Java 17; needs
 * {@code --add-modules jdk.incubator.vector}, see {@link FactorKernels#selected()}). Each loop
 * handles {@link #LANES} entries per instruction (see {@link #SPECIES}) and finishes the slice's
 * remainder in scalar code.
 *
 * <p>Determinism: lanes are summed by {@code reduceLanes(ADD)}, whose order the API leaves
 * unspecified. On Java 17 x86-64 both its compiled form and its Java fallback (interpreter, C1)
 * add the lanes one after the other from lane 0, so one JVM gets the same bits either way
 * ({@code FactorKernelsTest} checks the compiled result against that order). Summing with
 * {@code lane(i)} in an explicit tree was measured slower: the extraction was not intrinsified
 * inside a loop.
 */
final class PanamaFactorKernels implements FactorKernels {
    /**
     * 256 bits (8 floats) where the CPU has them, even when it has 512: the ordered lane sum at the
     * end of every dot product is a chain of one addition per lane, and with 16 lanes that chain
     * cost more than the wider loads saved (rank 64, AVX-512 Xeon: 7.3 M steps/s at 256 bits,
     * 5.7 M at 512, 6.5 M at 128; SgdStepBenchmark).
     */
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256
            ? FloatVector.SPECIES_256
            : FloatVector.SPECIES_PREFERRED;
    static final int LANES = SPECIES.length();

    PanamaFactorKernels() {
        if (LANES < 4) {
            // A CPU whose widest float vector holds two lanes gains nothing over the scalar loops.
            throw new IllegalStateException("the preferred float species has only " + LANES + " lanes");
        }
    }

    @Override
    public float dot(final float[] x, final int xOffset, final float[] y, final int yOffset, final int length) {
        FloatVector sum = FloatVector.zero(SPECIES);
        final int bound = SPECIES.loopBound(length);
        int f = 0;
        for (; f < bound; f += LANES) {
            sum = FloatVector.fromArray(SPECIES, x, xOffset + f).fma(FloatVector.fromArray(SPECIES, y, yOffset + f), sum);
        }
        float total = sumLanes(sum);
        for (; f < length; f++) {
            total = Math.fma(x[xOffset + f], y[yOffset + f], total);
        }
        return total;
    }

    @Override
    public Moments moments(final float[] x, final int xOffset, final float[] y, final int yOffset, final int length) {
        FloatVector xy = FloatVector.zero(SPECIES);
        FloatVector xx = FloatVector.zero(SPECIES);
        FloatVector yy = FloatVector.zero(SPECIES);
        final int bound = SPECIES.loopBound(length);
        int f = 0;
        for (; f < bound; f += LANES) {
            final FloatVector a = FloatVector.fromArray(SPECIES, x, xOffset + f);
            final FloatVector b = FloatVector.fromArray(SPECIES, y, yOffset + f);
            xy = a.fma(b, xy);
            xx = a.fma(a, xx);
            yy = b.fma(b, yy);
        }
        float dot = sumLanes(xy);
        float xNorm = sumLanes(xx);
        float yNorm = sumLanes(yy);
        for (; f < length; f++) {
            final float a = x[xOffset + f];
            final float b = y[yOffset + f];
            dot = Math.fma(a, b, dot);
            xNorm = Math.fma(a, a, xNorm);
            yNorm = Math.fma(b, b, yNorm);
        }
        return new Moments(dot, xNorm, yNorm);
    }

    @Override
    public void scaleAndAdd(final float[] x, final int xOffset, final float s, final float c, final float[] y,
                            final int yOffset, final int length) {
        final FloatVector pull = FloatVector.broadcast(SPECIES, c);
        final int bound = SPECIES.loopBound(length);
        int f = 0;
        for (; f < bound; f += LANES) {
            final FloatVector scaled = FloatVector.fromArray(SPECIES, x, xOffset + f).mul(s);
            FloatVector.fromArray(SPECIES, y, yOffset + f).fma(pull, scaled).intoArray(x, xOffset + f);
        }
        for (; f < length; f++) {
            x[xOffset + f] = Math.fma(c, y[yOffset + f], s * x[xOffset + f]);
        }
    }

    /** Σ lanes as four interleaved running sums then a pairwise finish: fixed order, short dependency chains. */
    private static float sumLanes(final FloatVector v) {
        return v.reduceLanes(VectorOperators.ADD);
    }

    @Override
    public String name() {
        return "vector (" + LANES + " x float, " + SPECIES.vectorBitSize() + " bit)";
    }
}
