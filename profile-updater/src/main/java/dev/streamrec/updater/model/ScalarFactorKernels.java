package dev.streamrec.updater.model;

/**
 * The kernels in plain Java. Four independent partial sums per quantity: a single running sum is
 * a chain of dependent additions the JIT must keep in order (float addition is not associative),
 * which would make each loop latency-bound. {@link Math#fma} halves the instructions (one fused
 * multiply-add instead of a rounded multiply and an add) and rounds once instead of twice.
 */
final class ScalarFactorKernels implements FactorKernels {

    @Override
    public float dot(final float[] x, final int xOffset, final float[] y, final int yOffset, final int length) {
        float d0 = 0f, d1 = 0f, d2 = 0f, d3 = 0f;
        int f = 0;
        for (; f + 3 < length; f += 4) {
            d0 = Math.fma(x[xOffset + f], y[yOffset + f], d0);
            d1 = Math.fma(x[xOffset + f + 1], y[yOffset + f + 1], d1);
            d2 = Math.fma(x[xOffset + f + 2], y[yOffset + f + 2], d2);
            d3 = Math.fma(x[xOffset + f + 3], y[yOffset + f + 3], d3);
        }
        for (; f < length; f++) {
            d0 = Math.fma(x[xOffset + f], y[yOffset + f], d0);
        }
        return (d0 + d1) + (d2 + d3);
    }

    @Override
    public Moments moments(final float[] x, final int xOffset, final float[] y, final int yOffset, final int length) {
        float d0 = 0f, d1 = 0f, d2 = 0f, d3 = 0f;
        float x0 = 0f, x1 = 0f, x2 = 0f, x3 = 0f;
        float y0 = 0f, y1 = 0f, y2 = 0f, y3 = 0f;
        int f = 0;
        for (; f + 3 < length; f += 4) {
            final float a0 = x[xOffset + f];
            final float a1 = x[xOffset + f + 1];
            final float a2 = x[xOffset + f + 2];
            final float a3 = x[xOffset + f + 3];
            final float b0 = y[yOffset + f];
            final float b1 = y[yOffset + f + 1];
            final float b2 = y[yOffset + f + 2];
            final float b3 = y[yOffset + f + 3];
            d0 = Math.fma(a0, b0, d0);
            d1 = Math.fma(a1, b1, d1);
            d2 = Math.fma(a2, b2, d2);
            d3 = Math.fma(a3, b3, d3);
            x0 = Math.fma(a0, a0, x0);
            x1 = Math.fma(a1, a1, x1);
            x2 = Math.fma(a2, a2, x2);
            x3 = Math.fma(a3, a3, x3);
            y0 = Math.fma(b0, b0, y0);
            y1 = Math.fma(b1, b1, y1);
            y2 = Math.fma(b2, b2, y2);
            y3 = Math.fma(b3, b3, y3);
        }
        for (; f < length; f++) {
            final float a = x[xOffset + f];
            final float b = y[yOffset + f];
            d0 = Math.fma(a, b, d0);
            x0 = Math.fma(a, a, x0);
            y0 = Math.fma(b, b, y0);
        }
        return new Moments((d0 + d1) + (d2 + d3), (x0 + x1) + (x2 + x3), (y0 + y1) + (y2 + y3));
    }

    @Override
    public void scaleAndAdd(final float[] x, final int xOffset, final float s, final float c, final float[] y,
                            final int yOffset, final int length) {
        for (int f = 0; f < length; f++) {
            x[xOffset + f] = Math.fma(c, y[yOffset + f], s * x[xOffset + f]);
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
