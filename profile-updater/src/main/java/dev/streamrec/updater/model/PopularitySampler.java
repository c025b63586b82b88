package dev.streamrec.updater.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Samples negative items with probability proportional to count^α, where count is the number of
 * interactions the item has had so far. α = 1 draws by raw popularity, α = 0 uniformly over the
 * items seen so far; in between is the popularity-aware weighting of missing data of He et al.
 * 2016 ("Fast matrix factorization for online recommendation with implicit feedback"), where a
 * missing entry's weight grows as popularity^α, turned into a sampling distribution.
 *
 * <p>Counts change one event at a time, so the weights live in a {@link FenwickTree}: O(log n)
 * update and O(log n) draw. Items that have never been counted are never drawn. Not thread-safe.
 */
public final class PopularitySampler implements NegativeSampler {
    /** Draws per requested negative before giving up on it. */
    public static final int DEFAULT_MAX_ATTEMPTS = 16;

    private final double exponent;
    private final int maxAttemptsPerNegative;
    private final Map<String, Integer> indexById = new HashMap<>();
    private final List<String> idByIndex = new ArrayList<>();
    private final FenwickTree weights = new FenwickTree(1024);
    private long[] counts = new long[1024];

    public PopularitySampler(final double exponent) {
        this(exponent, DEFAULT_MAX_ATTEMPTS);
    }

    public PopularitySampler(final double exponent, final int maxAttemptsPerNegative) {
        if (!Double.isFinite(exponent) || exponent < 0.0) {
            throw new IllegalArgumentException("exponent must be finite and >= 0, was " + exponent);
        }
        if (maxAttemptsPerNegative < 1) {
            throw new IllegalArgumentException("maxAttemptsPerNegative must be >= 1, was " + maxAttemptsPerNegative);
        }
        this.exponent = exponent;
        this.maxAttemptsPerNegative = maxAttemptsPerNegative;
    }

    /** Counts one more interaction with the item and updates its sampling weight. */
    public void recordInteraction(final String itemId) {
        final int index = indexOf(itemId);
        counts[index]++;
        weights.set(index, Math.pow(counts[index], exponent));
    }

    /** Restores a count (e.g. from a store after a restart) and its sampling weight. */
    public void setCount(final String itemId, final long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        final int index = indexOf(itemId);
        counts[index] = count;
        weights.set(index, count == 0 ? 0.0 : Math.pow(count, exponent));
    }

    /** Overrides the sampling weight with one the caller computed (e.g. a time-decayed count). */
    public void setWeight(final String itemId, final double weight) {
        weights.set(indexOf(itemId), weight);
    }

    public long count(final String itemId) {
        final Integer index = indexById.get(itemId);
        return index == null ? 0L : counts[index];
    }

    public double weight(final String itemId) {
        final Integer index = indexById.get(itemId);
        return index == null ? 0.0 : weights.weight(index);
    }

    /** Number of distinct items known to the sampler. */
    public int size() {
        return idByIndex.size();
    }

    /** One draw ∝ weight ignoring exclusions, or null when no item has weight yet. */
    public String sample(final RandomGenerator random) {
        final double total = weights.total();
        if (!(total > 0.0)) {
            return null;
        }
        final int index = weights.find(random.nextDouble() * total);
        return index < idByIndex.size() && weights.weight(index) > 0.0 ? idByIndex.get(index) : null;
    }

    @Override
    public List<String> sampleNegatives(final int count, final Predicate<String> excluded,
                                        final RandomGenerator random) {
        final List<String> negatives = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            for (int attempt = 0; attempt < maxAttemptsPerNegative; attempt++) {
                final String candidate = sample(random);
                if (candidate != null && !excluded.test(candidate)) {
                    negatives.add(candidate);
                    break;
                }
            }
        }
        return negatives;
    }

    private int indexOf(final String itemId) {
        final Integer known = indexById.get(itemId);
        if (known != null) {
            return known;
        }
        final int index = idByIndex.size();
        indexById.put(itemId, index);
        idByIndex.add(itemId);
        if (index >= counts.length) {
            counts = Arrays.copyOf(counts, counts.length * 2);
        }
        return index;
    }
}
