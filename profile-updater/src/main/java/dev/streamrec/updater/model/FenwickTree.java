package dev.streamrec.updater.model;

import java.util.Arrays;

/**
 * Non-negative weights over indices 0, 1, 2, … with O(log n) point update, prefix sum and
 * weighted sampling, and a capacity that grows on demand (Fenwick 1994, "A new data structure for
 * cumulative frequency tables"). Sampling descends the implicit tree from its highest power of two
 * to find the index whose cumulative interval contains a target, without a binary search over
 * prefix sums.
 */
public final class FenwickTree {
    /** tree[k] (1-based) holds the sum of weights over (k − lowbit(k), k]. */
    private double[] tree;
    /** The weights themselves, to rebuild on growth and to answer {@link #weight(int)} exactly. */
    private double[] weights;
    private double total;

    public FenwickTree(final int initialCapacity) {
        final int capacity = Integer.highestOneBit(Math.max(1, initialCapacity - 1)) << 1;
        tree = new double[capacity + 1];
        weights = new double[capacity];
    }

    public int capacity() {
        return weights.length;
    }

    public double weight(final int index) {
        return index < weights.length ? weights[index] : 0.0;
    }

    public double total() {
        return total;
    }

    /** Sets the weight at {@code index}, growing the tree if needed. */
    public void set(final int index, final double weight) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, was " + index);
        }
        if (!Double.isFinite(weight) || weight < 0.0) {
            throw new IllegalArgumentException("weight must be finite and >= 0, was " + weight);
        }
        ensureCapacity(index + 1);
        final double delta = weight - weights[index];
        weights[index] = weight;
        total += delta;
        for (int k = index + 1; k < tree.length; k += k & -k) {
            tree[k] += delta;
        }
    }

    /** Sum of the weights at indices 0 … index − 1. */
    public double prefixSum(final int index) {
        double sum = 0.0;
        for (int k = Math.min(index, weights.length); k > 0; k -= k & -k) {
            sum += tree[k];
        }
        return sum;
    }

    /**
     * The index i with prefixSum(i) ≤ target < prefixSum(i + 1): drawing target uniformly in
     * [0, total) picks i with probability weight(i) / total. Zero-weight indices are never
     * returned for targets inside [0, total); floating drift near the top is clamped to the last
     * index, which the caller treats like any other draw (and checks its weight if it must).
     */
    public int find(final double target) {
        int position = 0;
        double remaining = target;
        for (int step = weights.length; step > 0; step >>= 1) {
            final int next = position + step;
            if (next < tree.length && tree[next] <= remaining) {
                position = next;
                remaining -= tree[next];
            }
        }
        return Math.min(position, weights.length - 1);
    }

    private void ensureCapacity(final int required) {
        if (required <= weights.length) {
            return;
        }
        final int capacity = Integer.highestOneBit(required - 1) << 1;
        weights = Arrays.copyOf(weights, capacity);
        tree = new double[capacity + 1];
        // Linear-time build: every node passes its sum to its parent once.
        for (int k = 1; k <= capacity; k++) {
            tree[k] += weights[k - 1];
            final int parent = k + (k & -k);
            if (parent <= capacity) {
                tree[parent] += tree[k];
            }
        }
    }
}
