package dev.streamrec.bench.e2e;

import java.util.List;
import java.util.Map;

/** Hand-made {@link WorkloadRun.Result}s for the report tests. */
final class Runs {
    private Runs() {
    }

    /** One sample of {@code value} ms. */
    static LongSamples samples(final long value) {
        final LongSamples samples = new LongSamples();
        samples.add(value);
        return samples;
    }

    /**
     * A flat-out run: {@code events} through in {@code seconds} of wall time on {@code cpu} CPU
     * seconds, split by thread group as given; latencies 200 ms from the read, 300 from the send.
     */
    static WorkloadRun.Result flatOut(final long events, final double seconds, final double cpu,
                                      final Map<String, Double> byGroup) {
        final long throughMs = Math.round(seconds * 1000);
        return new WorkloadRun.Result(events, 0, throughMs, throughMs, 41, List.of(), samples(200), samples(100), cpu,
                "", Map.of(), samples(300), 12, byGroup, Map.of(), throughMs, 0, 0, Map.of());
    }

    /** A flat-out run of {@code events} in 100 s that appended {@code offsets} and {@code bytes} per topic. */
    static WorkloadRun.Result appended(final long events, final Map<String, Long> offsets, final Map<String, Long> bytes) {
        return new WorkloadRun.Result(events, 0, 100_000, 100_000, 41, List.of(), samples(200), samples(100), 150,
                "", offsets, samples(300), 12, Map.of(), Map.of(), 100_000, 0, 0, bytes);
    }
}
