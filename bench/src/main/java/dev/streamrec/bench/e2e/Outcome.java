package dev.streamrec.bench.e2e;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Everything one benchmark invocation measured, for the report.
 *
 * @param tuning           updater settings of the throughput and latency runs (over the defaults)
 * @param movieLensThroughput the dataset replayed as fast as possible with the same settings (plus
 *                         {@link MovieLensWorkload#SETTINGS}), one result per run; empty without a dataset
 * @param recordBytes      mean input record size (key + value) the ceiling run used
 * @param accuracy         one Kafka replay per partition count (empty without a dataset)
 * @param clusteredAccuracy a 1-partition Kafka replay with cluster-index candidates forced on the
 *                         (small) MovieLens catalogue: what the approximation costs; null without a dataset
 * @param offline          offline replay, item side applied at once (plain sequential SGD)
 * @param offlineDelayed   offline replay with the item side held back {@code itemDelay} steps
 * @param profile          CPU profile summary of the last throughput run ({@link #analysed()}), or null
 * @param latencyProfile   CPU profile summary of the first latency run, or null
 * @param sweep            one paced run per {@link BenchOptions#sweepRates()}, in that order
 * @param floor            the Kafka Streams floor runs ({@link StreamsFloorRun}), every fan-out's
 *                         repetitions in the order run; empty when none were asked for
 * @param designFloor      the design's floor runs ({@link DesignFloorRun}) in the order run; empty
 *                         when none were asked for
 */
record Outcome(BenchOptions options, Map<String, String> tuning, List<WorkloadRun.Result> throughput,
               List<WorkloadRun.Result> movieLensThroughput,
               double recordBytes, List<Double> ceiling, List<WorkloadRun.Result> latency,
               List<Accuracy> accuracy, AccuracyRun.Result clusteredAccuracy, OfflineComparison.Figures offline, OfflineComparison.Figures offlineDelayed,
               HotPathProfile.Summary profile, HotPathProfile.Summary latencyProfile, double wallSeconds,
               String loadBefore, List<WorkloadRun.Result> sweep, List<StreamsFloorRun.Result> floor,
               List<DesignFloorRun.Result> designFloor) {

    /** An outcome with nothing measured yet: every list empty, every optional figure absent. */
    static Builder builder(final BenchOptions options) {
        return new Builder(options);
    }

    /**
     * Collects the figures as the benchmark measures them, so neither it nor a report test has to
     * name seventeen components in order; what is not set stays empty, null or zero.
     */
    static final class Builder {
        private final BenchOptions options;
        private Map<String, String> tuning = Map.of();
        private List<WorkloadRun.Result> throughput = List.of();
        private List<WorkloadRun.Result> movieLensThroughput = List.of();
        private double recordBytes;
        private List<Double> ceiling = List.of();
        private List<WorkloadRun.Result> latency = List.of();
        private List<Accuracy> accuracy = List.of();
        private AccuracyRun.Result clusteredAccuracy;
        private OfflineComparison.Figures offline;
        private OfflineComparison.Figures offlineDelayed;
        private HotPathProfile.Summary profile;
        private HotPathProfile.Summary latencyProfile;
        private double wallSeconds;
        private String loadBefore = "";
        private List<WorkloadRun.Result> sweep = List.of();
        private List<StreamsFloorRun.Result> floor = List.of();
        private List<DesignFloorRun.Result> designFloor = List.of();

        private Builder(final BenchOptions options) {
            this.options = options;
        }

        Builder tuning(final Map<String, String> value) {
            tuning = value;
            return this;
        }

        Builder throughput(final List<WorkloadRun.Result> runs, final HotPathProfile.Summary analysedProfile) {
            throughput = runs;
            profile = analysedProfile;
            return this;
        }

        Builder movieLensThroughput(final List<WorkloadRun.Result> runs) {
            movieLensThroughput = runs;
            return this;
        }

        Builder ceiling(final double meanRecordBytes, final List<Double> recordsPerSecond) {
            recordBytes = meanRecordBytes;
            ceiling = recordsPerSecond;
            return this;
        }

        Builder latency(final List<WorkloadRun.Result> runs, final HotPathProfile.Summary firstRunProfile) {
            latency = runs;
            latencyProfile = firstRunProfile;
            return this;
        }

        Builder accuracy(final List<Accuracy> kafkaReplays, final AccuracyRun.Result clustered,
                         final OfflineComparison.Figures offlineReplay, final OfflineComparison.Figures offlineReplayDelayed) {
            accuracy = kafkaReplays;
            clusteredAccuracy = clustered;
            offline = offlineReplay;
            offlineDelayed = offlineReplayDelayed;
            return this;
        }

        Builder wall(final double seconds, final String loadAverageBefore) {
            wallSeconds = seconds;
            loadBefore = loadAverageBefore;
            return this;
        }

        Builder sweep(final List<WorkloadRun.Result> runs) {
            sweep = runs;
            return this;
        }

        Builder floor(final List<StreamsFloorRun.Result> runs) {
            floor = runs;
            return this;
        }

        Builder designFloor(final List<DesignFloorRun.Result> runs) {
            designFloor = runs;
            return this;
        }

        Outcome build() {
            return new Outcome(options, tuning, throughput, movieLensThroughput, recordBytes, ceiling, latency, accuracy,
                    clusteredAccuracy, offline, offlineDelayed, profile, latencyProfile, wallSeconds, loadBefore, sweep, floor,
                    designFloor);
        }
    }

    /** Targets of the issue, on this 2-core machine with the broker on it. */
    static final double TARGET_EVENTS_PER_SECOND = 50_000;
    static final double TARGET_CEILING_SHARE = 0.25;
    static final double TARGET_P99_MS = 500;

    /** Agreement bands between the Kafka and offline replays, fixed before measuring. */
    static double rmseTolerance(final int partitions) {
        return partitions == 1 ? 0.010 : 0.020;
    }

    static double recallTolerance(final int partitions) {
        return partitions == 1 ? 0.010 : 0.020;
    }

    /**
     * What the clustered accuracy replay overrides: every catalogue size indexed (MovieLens' 1,682
     * items are below the default threshold), √items clusters, the default probes.
     */
    static final Map<String, String> CLUSTERED_ACCURACY_SETTINGS = Map.of("recommendations.candidates.min.items", "1");

    /** One Kafka replay of the dataset. */
    record Accuracy(int partitions, AccuracyRun.Result result) {
    }

    /**
     * The throughput run the report analyses (profile, per-thread CPU, broker appends): the last
     * one, whose code the JIT has compiled furthest (in one of the fifteenth session's reports the
     * first ran at 0.19 ms of CPU per event against 0.15 for the next two; in the next all three
     * were within 0.14-0.16); null without one.
     */
    WorkloadRun.Result analysed() {
        return analysedOf(throughput);
    }

    /** Which of the throughput runs is analysed, for callers that hold the runs before an Outcome exists. */
    static WorkloadRun.Result analysedOf(final List<WorkloadRun.Result> throughput) {
        return throughput.isEmpty() ? null : throughput.get(throughput.size() - 1);
    }

    /** {@link #analysed()}'s number as the report's tables count runs, from 1. */
    int analysedRun() {
        return throughput.size();
    }

    double throughputMedian() {
        return median(throughput, WorkloadRun.Result::eventsPerSecond);
    }

    double movieLensThroughputMedian() {
        return median(movieLensThroughput, WorkloadRun.Result::eventsPerSecond);
    }

    /** The MovieLens run whose throughput is the median, or null without one. */
    WorkloadRun.Result movieLensMedianRun() {
        return medianRun(movieLensThroughput, WorkloadRun.Result::eventsPerSecond);
    }

    /** The latency run whose end-to-end p99 is the median, or null without one. */
    WorkloadRun.Result latencyMedianRun() {
        return medianRun(latency, r -> r.endToEnd().percentile(99));
    }

    /** The run in the middle when sorted by {@code figure} (the upper of the two middle ones of an even count). */
    static WorkloadRun.Result medianRun(final List<WorkloadRun.Result> runs, final ToDoubleFunction<WorkloadRun.Result> figure) {
        if (runs.isEmpty()) {
            return null;
        }
        final List<WorkloadRun.Result> sorted = runs.stream().sorted(java.util.Comparator.comparingDouble(figure)).toList();
        return sorted.get(sorted.size() / 2);
    }

    /** The fan-outs of the floor runs, in the order first run. */
    List<Integer> floorFanOuts() {
        return floor.stream().map(StreamsFloorRun.Result::fanOut).distinct().toList();
    }

    /** The floor runs of one fan-out, in the order run. */
    List<StreamsFloorRun.Result> floorRuns(final int fanOut) {
        return floor.stream().filter(r -> r.fanOut() == fanOut).toList();
    }

    /** Median events/s of the floor runs of one fan-out (NaN without one). */
    double floorMedian(final int fanOut) {
        return median(floorRuns(fanOut), StreamsFloorRun.Result::eventsPerSecond);
    }

    /** The record flows of the design's floor runs, in the order first run: the updater's first. */
    List<DesignFloorRun.Shape> designFloorShapes() {
        return designFloor.stream().map(DesignFloorRun.Result::shape).distinct().toList();
    }

    /** The design's floor runs of one record flow, in the order run. */
    List<DesignFloorRun.Result> designFloorRuns(final DesignFloorRun.Shape shape) {
        return designFloor.stream().filter(r -> r.shape().equals(shape)).toList();
    }

    /** Median events/s of the design's floor runs of one record flow (NaN without one). */
    double designFloorMedian(final DesignFloorRun.Shape shape) {
        return median(designFloorRuns(shape), DesignFloorRun.Result::eventsPerSecond);
    }

    double ceilingMedian() {
        return median(ceiling.stream().mapToDouble(Double::doubleValue).toArray());
    }

    double latencyMedian(final double percentile) {
        return median(latency, r -> r.endToEnd().percentile(percentile));
    }

    double sendLatencyMedian(final double percentile) {
        return median(latency, r -> r.fromSend().percentile(percentile));
    }

    /** Median over latency runs of the events sent but not yet through when the producer stopped. */
    double backlogMedian() {
        return median(latency, r -> (double) r.backlogAtSent());
    }

    /** Median over latency runs of the item steps the item stage had not applied when the lists were through. */
    double itemStepsBehindMedian() {
        return median(latency, r -> (double) r.itemStepsBehind());
    }

    double generationLatencyMedian(final double percentile) {
        return median(latency, r -> r.generation().percentile(percentile));
    }

    static <T> double median(final List<T> values, final ToDoubleFunction<T> figure) {
        return median(values.stream().mapToDouble(figure).toArray());
    }

    static double median(final double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        final double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }
}
