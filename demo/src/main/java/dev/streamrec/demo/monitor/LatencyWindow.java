package dev.streamrec.demo.monitor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.OptionalLong;

/**
 * Latency samples of a sliding time window and their 99th percentile (nearest rank): the status
 * line shows how the system does now, not averaged over the whole run.
 */
public final class LatencyWindow {
    private final long windowMillis;
    private final Deque<long[]> samples = new ArrayDeque<>();

    public LatencyWindow(final long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** Records a latency observed at {@code atMillis}. */
    public synchronized void add(final long atMillis, final long latencyMillis) {
        samples.addLast(new long[] {atMillis, latencyMillis});
    }

    /** The 99th percentile of the samples of the last window before {@code nowMillis}; empty when none. */
    public synchronized OptionalLong p99(final long nowMillis) {
        while (!samples.isEmpty() && samples.peekFirst()[0] <= nowMillis - windowMillis) {
            samples.removeFirst();
        }
        if (samples.isEmpty()) {
            return OptionalLong.empty();
        }
        final long[] sorted = samples.stream().mapToLong(s -> s[1]).toArray();
        Arrays.sort(sorted);
        final int rank = (int) Math.ceil(0.99 * sorted.length);
        return OptionalLong.of(sorted[Math.max(0, rank - 1)]);
    }
}
