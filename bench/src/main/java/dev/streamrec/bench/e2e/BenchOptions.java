package dev.streamrec.bench.e2e;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command line of {@link EndToEndBenchmark}.
 *
 * <pre>
 *   --events N             synthetic events in the throughput run (default 1,000,000; quick 100,000)
 *   --users N / --items N  synthetic population (50,000 / 10,000; quick 5,000 / 1,000)
 *   --dataset PATH         MovieLens u.data for its own throughput runs (as many as
 *                          --throughput-runs) and the accuracy replays (skipped when absent)
 *   --out DIR              report directory (default bench/results)
 *   --quick                small everything, one repetition: for trying the harness
 *   --throughput-runs N    repetitions of the throughput run, each a fresh instance on its own
 *                          topics (3; quick 1): runs of one report differ by up to a quarter
 *                          (fifteenth session: 10,011 / 12,698 / 12,679 events/s, then 13,625 /
 *                          12,209 / 12,825), so one run is not the figure
 *   --warmup-events N      events through a separate, untimed instance before the throughput
 *                          runs, so the JIT has compiled the hot paths (200,000; quick 20,000; 0: none)
 *   --ceiling-runs N       repetitions of ProducerPerformance (3; quick 1)
 *   --floor-runs N         repetitions of each Kafka Streams floor run (3; quick 1; 0: none):
 *                          the same events through a pass-through application ({@link StreamsFloorRun})
 *   --floor-fanouts K,K    output records per input record in the floor runs (1,8); beyond 1
 *                          each copy is padded to the last throughput run's mean appended
 *                          size, so 8 makes about the updater's appends and bytes per event,
 *                          a few appends fewer
 *   --design-floor-runs N  repetitions of the design's floor run (3; quick 1; 0: none): the same
 *                          events through the updater's record flow with no application logic
 *                          ({@link DesignFloorRun}), counts and sizes from the last throughput run
 *   --latency-runs N       repetitions of the latency run (3; quick 1)
 *   --latency-rate R       offered load of the latency run, events/s (5000)
 *   --latency-seconds S    length of one latency run (60; quick 15), of which the first
 *   --warmup-seconds W     are not recorded (10; quick 5)
 *   --sweep-rates R,R      lower offered loads, events/s, each one paced run as long as a latency
 *                          run, for the table of CPU by offered load (1000,2500; quick 1000;
 *                          "none" for no sweep)
 *   --accuracy-rate R      offered load of the MovieLens replay, events/s (2000)
 *   --accuracy-partitions P,Q  partition counts of the MovieLens replay (1)
 *   --limit N              replay only the first N MovieLens ratings (all; quick 20,000)
 *   --seed S               workload and negative-sampling seed (42)
 *   --set k=v,k=v          updater settings for every run, over the benchmark's tuning
 *   --no-profile           skip the CPU profiles (async-profiler) of the first throughput and latency runs
 * </pre>
 */
record BenchOptions(long events, int users, int items, Path dataset, Path out, boolean quick, int throughputRuns,
                    int ceilingRuns, int latencyRuns, double latencyRate, int latencySeconds, int warmupSeconds,
                    double accuracyRate, List<Integer> accuracyPartitions, int limit, long seed,
                    Map<String, String> settings, boolean profile, long warmupEvents, List<Double> sweepRates,
                    int floorRuns, List<Integer> floorFanOuts, int designFloorRuns) {

    static BenchOptions parse(final String[] args) {
        final boolean quick = List.of(args).contains("--quick");
        long events = quick ? 100_000 : 1_000_000;
        int users = quick ? 5_000 : 50_000;
        int items = quick ? 1_000 : 10_000;
        Path dataset = null;
        Path out = Path.of("bench", "results");
        int throughputRuns = quick ? 1 : 3;
        int ceilingRuns = quick ? 1 : 3;
        int latencyRuns = quick ? 1 : 3;
        double latencyRate = 5000;
        int latencySeconds = quick ? 15 : 60;
        int warmupSeconds = quick ? 5 : 10;
        double accuracyRate = 2000;
        List<Integer> accuracyPartitions = List.of(1);
        int limit = quick ? 20_000 : 0;
        long seed = 42;
        final Map<String, String> settings = new LinkedHashMap<>();
        boolean profile = true;
        long warmupEvents = quick ? 20_000 : 200_000;
        List<Double> sweepRates = quick ? List.of(1000.0) : List.of(1000.0, 2500.0);
        int floorRuns = quick ? 1 : 3;
        List<Integer> floorFanOuts = List.of(1, 8);
        int designFloorRuns = quick ? 1 : 3;
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--quick" -> { }
                case "--events" -> events = Long.parseLong(args[++a]);
                case "--users" -> users = Integer.parseInt(args[++a]);
                case "--items" -> items = Integer.parseInt(args[++a]);
                case "--dataset" -> dataset = Path.of(args[++a]);
                case "--out" -> out = Path.of(args[++a]);
                case "--throughput-runs" -> throughputRuns = Integer.parseInt(args[++a]);
                case "--ceiling-runs" -> ceilingRuns = Integer.parseInt(args[++a]);
                case "--latency-runs" -> latencyRuns = Integer.parseInt(args[++a]);
                case "--latency-rate" -> latencyRate = Double.parseDouble(args[++a]);
                case "--latency-seconds" -> latencySeconds = Integer.parseInt(args[++a]);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[++a]);
                case "--accuracy-rate" -> accuracyRate = Double.parseDouble(args[++a]);
                case "--accuracy-partitions" -> accuracyPartitions = java.util.Arrays.stream(args[++a].split(","))
                        .map(String::strip).map(Integer::valueOf).toList();
                case "--limit" -> limit = Integer.parseInt(args[++a]);
                case "--seed" -> seed = Long.parseLong(args[++a]);
                case "--set" -> {
                    for (final String pair : args[++a].split(",")) {
                        final int eq = pair.indexOf('=');
                        if (eq < 1) {
                            throw new IllegalArgumentException("--set expects key=value, got " + pair);
                        }
                        settings.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                    }
                }
                case "--no-profile" -> profile = false;
                case "--warmup-events" -> warmupEvents = Long.parseLong(args[++a]);
                case "--sweep-rates" -> {
                    final String rates = args[++a];
                    sweepRates = rates.equals("none") ? List.of()
                            : java.util.Arrays.stream(rates.split(",")).map(Double::valueOf).toList();
                }
                case "--floor-runs" -> floorRuns = Integer.parseInt(args[++a]);
                case "--floor-fanouts" -> floorFanOuts = java.util.Arrays.stream(args[++a].split(","))
                        .map(String::strip).map(Integer::valueOf).toList();
                case "--design-floor-runs" -> designFloorRuns = Integer.parseInt(args[++a]);
                default -> throw new IllegalArgumentException("unknown option " + args[a]
                        + " (see the class comment of BenchOptions)");
            }
        }
        return new BenchOptions(events, users, items, dataset, out, quick, throughputRuns, ceilingRuns, latencyRuns,
                latencyRate, latencySeconds, warmupSeconds, accuracyRate, accuracyPartitions, limit, seed,
                Map.copyOf(settings), profile, warmupEvents, sweepRates, floorRuns, floorFanOuts,
                designFloorRuns);
    }
}
