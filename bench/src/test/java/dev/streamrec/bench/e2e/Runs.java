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
}
