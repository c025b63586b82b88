package dev.streamrec.updater.model;

/**
 * μ, the running mean of all ratings seen so far. Its whole state is two numbers, count and
 * sum, so the caller can persist it anywhere (a one-key store, a changelog) and
 * {@link #restore} it. Before the first rating it answers the configured prior.
 */
public final class GlobalMean {
    private final double prior;
    private long count;
    private double sum;

    public GlobalMean(final double prior) {
        this(prior, 0L, 0.0);
    }

    private GlobalMean(final double prior, final long count, final double sum) {
        if (!Double.isFinite(prior)) {
            throw new IllegalArgumentException("prior must be finite, was " + prior);
        }
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        if (!Double.isFinite(sum)) {
            throw new IllegalArgumentException("sum must be finite, was " + sum);
        }
        this.prior = prior;
        this.count = count;
        this.sum = sum;
    }

    /** Rebuilds a mean from the two numbers {@link #count()} and {@link #sum()} returned earlier. */
    public static GlobalMean restore(final double prior, final long count, final double sum) {
        return new GlobalMean(prior, count, sum);
    }

    /** Adds one rating; non-finite values are ignored so that they cannot poison μ. */
    public void add(final double rating) {
        if (Double.isFinite(rating)) {
            count++;
            sum += rating;
        }
    }

    public float mean() {
        return count == 0 ? (float) prior : (float) (sum / count);
    }

    public long count() {
        return count;
    }

    public double sum() {
        return sum;
    }
}
