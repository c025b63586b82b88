package dev.streamrec.bench.e2e;

import java.util.Arrays;

/** A growable array of long samples with exact percentiles (nearest rank). */
final class LongSamples {
    private long[] values = new long[1024];
    private int size;

    void add(final long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    int size() {
        return size;
    }

    LongSamples copy() {
        final LongSamples copy = new LongSamples();
        copy.values = Arrays.copyOf(values, Math.max(size, 1));
        copy.size = size;
        return copy;
    }

    /** Samples {@code from} (inclusive) onwards, e.g. to drop a warm-up. */
    LongSamples from(final int from) {
        final LongSamples tail = new LongSamples();
        tail.values = Arrays.copyOfRange(values, Math.min(from, size), Math.max(size, from + 1));
        tail.size = Math.max(0, size - from);
        return tail;
    }

    /** Nearest-rank percentile, {@code p} in (0, 100]; NaN when empty. */
    double percentile(final double p) {
        if (size == 0) {
            return Double.NaN;
        }
        final long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        final int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
    }

    long[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
