package dev.streamrec.updater;

import java.util.SplittableRandom;

/**
 * Seeded synthetic ratings with a known answer, for convergence tests: a planted biased
 * low-rank model r = μ + b_u + b_i + p_u·q_i + ε with ε ~ N(0, σ²), users and items drawn
 * uniformly. No estimator can beat σ on such data, so a learner's prequential RMSE is judged
 * against the noise floor σ.
 *
 * <p>Factor entries are N(0, rank^-½) so that p·q has variance about 1 whatever the rank; biases
 * are N(0, 0.3²). Gaussians come from Box–Muller on {@link SplittableRandom}, so the data do not
 * depend on the JDK's choice of Gaussian algorithm. Not thread-safe.
 */
public final class PlantedRatings {
    private static final double BIAS_SCALE = 0.3;

    private final SplittableRandom random;
    private final double mean;
    private final double noise;
    private final double[][] userFactors;
    private final double[][] itemFactors;
    private final double[] userBias;
    private final double[] itemBias;

    /** One planted rating: indices of the user and item, and the noisy value (not clipped to any scale). */
    public record Rating(int user, int item, double value) {
    }

    public PlantedRatings(final long seed, final int users, final int items, final int rank, final double mean,
                          final double noise) {
        this.random = new SplittableRandom(seed);
        this.mean = mean;
        this.noise = noise;
        final double factorScale = Math.pow(rank, -0.25);
        userFactors = new double[users][rank];
        itemFactors = new double[items][rank];
        userBias = new double[users];
        itemBias = new double[items];
        for (int u = 0; u < users; u++) {
            fill(userFactors[u], factorScale);
            userBias[u] = gaussian() * BIAS_SCALE;
        }
        for (int i = 0; i < items; i++) {
            fill(itemFactors[i], factorScale);
            itemBias[i] = gaussian() * BIAS_SCALE;
        }
    }

    /** The next rating: a uniformly drawn (user, item) pair, its planted signal plus noise. */
    public Rating next() {
        final int user = random.nextInt(userBias.length);
        final int item = random.nextInt(itemBias.length);
        return new Rating(user, item, signal(user, item) + gaussian() * noise);
    }

    /** μ + b_u + b_i + p_u·q_i: the noise-free value, what a perfect model predicts. */
    public double signal(final int user, final int item) {
        double value = mean + userBias[user] + itemBias[item];
        for (int f = 0; f < userFactors[user].length; f++) {
            value += userFactors[user][f] * itemFactors[item][f];
        }
        return value;
    }

    /** μ + b_u + b_i: the best a model without factors can do. */
    public double biasesOnly(final int user, final int item) {
        return mean + userBias[user] + itemBias[item];
    }

    public double noise() {
        return noise;
    }

    private void fill(final double[] vector, final double scale) {
        for (int f = 0; f < vector.length; f++) {
            vector[f] = gaussian() * scale;
        }
    }

    private double gaussian() {
        final double u1 = 1.0 - random.nextDouble();
        final double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
