package dev.streamrec.updater.model;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;

/**
 * The three loops every SGD step and prediction spends its time in, over slices of {@code float[]}
 * factor vectors. Two implementations compute the same sums: {@link ScalarFactorKernels} (plain
 * Java, any JVM) and {@link PanamaFactorKernels} (the incubating Vector API, JEP 414, which
 * turns each loop into AVX2/AVX-512 or NEON instructions the JIT does not reliably produce from
 * scalar float reductions, since float addition is not associative).
 *
 * <p>{@link #selected()} picks the vector one when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} and the scalar one otherwise, the same
 * optional-acceleration pattern Lucene uses for its vector scorers. System property
 * {@code streamrec.kernels} = {@code scalar} | {@code vector} | {@code auto} (default) overrides it;
 * {@code vector} without the module fails the start instead of silently running slower.
 *
 * <p>Both are deterministic: the same inputs give the same bits on every call in one JVM, whether
 * the code runs interpreted or compiled, so a restored model predicts exactly what it predicted
 * before a restart. The two implementations may differ from each other in the last bits (they
 * add in different orders); a model is trained and served by one JVM's choice at a time.
 */
public interface FactorKernels {

    /** Σ x[xOffset + f] · y[yOffset + f] over f &lt; length. */
    float dot(float[] x, int xOffset, float[] y, int yOffset, int length);

    /** x·y, |x|² and |y|² over the two slices, in one pass. */
    Moments moments(float[] x, int xOffset, float[] y, int yOffset, int length);

    /** x[xOffset + f] ← s · x[xOffset + f] + c · y[yOffset + f] for f &lt; length (one rounding per entry). */
    void scaleAndAdd(float[] x, int xOffset, float s, float c, float[] y, int yOffset, int length);

    /** Short name for logs and benchmark output. */
    String name();

    /** The implementation this JVM uses; chosen once, on first use. */
    static FactorKernels selected() {
        return Selection.KERNELS;
    }

    /** The plain-Java implementation, whatever the JVM offers (benchmarks compare against it). */
    static FactorKernels scalar() {
        return new ScalarFactorKernels();
    }

    /**
     * The Vector API implementation.
     *
     * @throws IllegalStateException if the JVM was started without {@code --add-modules jdk.incubator.vector}
     */
    static FactorKernels vector() {
        return Selection.choose("vector");
    }

    /** Lazy holder: the choice (and its log line) happens when a step first needs it. */
    final class Selection {
        static final String PROPERTY = "streamrec.kernels";
        private static final String VECTOR_MODULE = "jdk.incubator.vector";
        private static final Logger LOG = LoggerFactory.getLogger(FactorKernels.class);
        static final FactorKernels KERNELS = choose(System.getProperty(PROPERTY, "auto"));

        private Selection() {
        }

        static FactorKernels choose(final String requested) {
            final String mode = requested.trim().toLowerCase(Locale.ROOT);
            final boolean moduleLoaded = ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
            switch (mode) {
                case "scalar":
                    return log(new ScalarFactorKernels(), "scalar requested");
                case "vector":
                    if (!moduleLoaded) {
                        throw new IllegalStateException("-D" + PROPERTY + "=vector needs the JVM option --add-modules "
                                + VECTOR_MODULE);
                    }
                    return log(new PanamaFactorKernels(), "vector requested");
                case "auto":
                    if (!moduleLoaded) {
                        return log(new ScalarFactorKernels(), "start the JVM with --add-modules " + VECTOR_MODULE
                                + " for the vector kernels");
                    }
                    try {
                        return log(new PanamaFactorKernels(), VECTOR_MODULE + " is loaded");
                    } catch (final IllegalStateException narrowVectors) {
                        return log(new ScalarFactorKernels(), narrowVectors.getMessage());
                    }
                default:
                    throw new IllegalArgumentException("-D" + PROPERTY + " must be scalar, vector or auto, was '"
                            + requested + "'");
            }
        }

        private static FactorKernels log(final FactorKernels kernels, final String why) {
            LOG.info("SGD kernels: {} ({})", kernels.name(), why);
            return kernels;
        }
    }
}
