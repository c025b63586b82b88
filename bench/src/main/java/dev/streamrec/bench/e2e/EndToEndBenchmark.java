package dev.streamrec.bench.e2e;

import dev.streamrec.bench.model.MovieLensReader;
import dev.streamrec.bench.model.RatingEvent;
import dev.streamrec.demo.broker.InProcessKafka;
import dev.streamrec.updater.model.Hyperparameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-to-end benchmark: a real KRaft broker, the full profile-updater topology under
 * exactly_once_v2, and a harness that offers it work and reads what it commits. Measures, in one
 * run, sustained throughput on a synthetic workload, Kafka's own producer ceiling on the same
 * broker, two floors on it (Kafka Streams copying each event to about as many records,
 * {@link StreamsFloorRun}, and the updater's record flow without its logic, {@link DesignFloorRun}),
 * event-to-recommendation latency at a fixed offered load, CPU at lower loads, and model quality
 * through Kafka against the offline replay on MovieLens; writes {@code report.md} and PNG plots and prints the
 * report. Options: {@link BenchOptions}. Run headless ({@code -Djava.awt.headless=true}).
 */
public final class EndToEndBenchmark {
    private EndToEndBenchmark() {
    }

    /**
     * The updater settings of the throughput and latency runs, over UpdaterConfig's defaults. Only
     * the share of positives scored for the prequential monitor is lowered: scoring one ranks the
     * whole catalogue, and at 1.0 on 10,000 items that monitor, not learning, would be measured.
     */
    static Map<String, String> tuning(final BenchOptions options) {
        final Map<String, String> tuning = new LinkedHashMap<>();
        tuning.put("topics.partitions", "4");
        tuning.put("kafka.num.stream.threads", "2");
        tuning.put("metrics.prequential.sample.rate", "0.01");
        // One broker on the same two cores: compressing small transactional batches (lz4, the
        // default) costs CPU and saves no network; measured about 1.5x more events per CPU-second.
        tuning.put("kafka.producer.compression.type", "none");
        // Transactions v2 (KIP-890): a produce right after a commit can meet CONCURRENT_TRANSACTIONS
        // while the markers are written, and the client then backs off retry.backoff.ms (100 ms) — a
        // stall per commit on a loaded machine (KAFKA-18654). Retrying after 10 ms shortens it.
        tuning.put("kafka.producer.retry.backoff.ms", "10");
        tuning.putAll(options.settings());
        return tuning;
    }

    public static void main(final String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        final BenchOptions options = BenchOptions.parse(args);
        Files.createDirectories(options.out());
        final long began = System.nanoTime();
        final String loadBefore = MachineLoad.loadAverage();
        final Map<String, String> tuning = tuning(options);
        try (InProcessKafka kafka = InProcessKafka.start()) {
            System.out.printf(Locale.ROOT, "broker up at %s; %d cores, max heap %d MB%n", kafka.bootstrapServers(),
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

            if (options.warmupEvents() > 0 && options.throughputRuns() > 0) {
                // A fresh JVM spends its first minute compiling broker, client and application code
                // (measured: ~70 us of JIT CPU per event over a cold 300k-event run); a sustained
                // rate is what the instance does after that, as in any JMH measurement.
                System.out.printf(Locale.ROOT, "warm-up: %,d events through a separate instance, not timed%n",
                        options.warmupEvents());
                final WorkloadRun.Result warm = WorkloadRun.run(kafka, "warm", tuning,
                        new SyntheticWorkload(options.users(), options.items(), options.seed() + 1000),
                        options.warmupEvents(), 0, options.warmupEvents(), null, Duration.ofMinutes(20));
                System.out.printf(Locale.ROOT, "  warm-up ran at %.0f events/s%n", warm.eventsPerSecond());
            }

            final List<WorkloadRun.Result> throughput = new ArrayList<>();
            HotPathProfile.Summary profile = null;
            for (int r = 0; r < options.throughputRuns(); r++) {
                // The last run is the one the report analyses: the JIT has compiled furthest by then.
                final HotPathProfile recorder = options.profile() && r == options.throughputRuns() - 1
                        ? new HotPathProfile() : null;
                System.out.printf(Locale.ROOT, "throughput run %d: %,d events as fast as possible%n", r + 1, options.events());
                final WorkloadRun.Result result = WorkloadRun.run(kafka, "tput" + r, tuning,
                        new SyntheticWorkload(options.users(), options.items(), options.seed() + r), options.events(),
                        0, options.events(), recorder, Duration.ofMinutes(40));
                if (recorder != null) {
                    profile = recorder.stopAndSummarise(Files.createTempFile("streamrec-bench", ".collapsed"), 15);
                }
                System.out.printf(Locale.ROOT, "  %.0f events/s end to end (sent at %.0f events/s; lists through after %.1f s with"
                        + " %,d item steps not yet applied; this JVM used %.2f cores; load %s)%n", result.eventsPerSecond(),
                        result.sendRate(), (result.listsThroughMs() - result.startMs()) / 1000.0, result.itemStepsBehind(),
                        result.coresUsed(), result.loadAverage());
                throughput.add(result);
            }

            final double recordBytes = throughput.isEmpty() ? 0 : throughput.get(0).meanRecordBytes();
            final List<Double> ceiling = new ArrayList<>();
            for (int r = 0; r < options.ceilingRuns(); r++) {
                final String topic = "ceiling" + r;
                kafka.createTopic(topic, Integer.parseInt(tuning.get("topics.partitions")));
                final double perSecond = CeilingRun.run(kafka.bootstrapServers(), topic, options.events(),
                        (int) Math.round(recordBytes), options.out().resolve("ceiling-" + r + ".log"));
                System.out.printf(Locale.ROOT, "ceiling run %d: ProducerPerformance %.0f records/s of %d bytes%n",
                        r + 1, perSecond, Math.round(recordBytes));
                ceiling.add(perSecond);
            }

            // Kafka Streams' own floor on this machine: the same events copied by a pass-through
            // application with the updater's Kafka Streams settings, once as they are and, for each
            // larger fan-out, as copies of the updater's mean appended size; interleaved per repetition.
            final int copyBytes = throughput.isEmpty() ? 0 : (int) Math.round(Outcome.analysedOf(throughput).bytesPerAppend());
            final List<StreamsFloorRun.Result> floor = new ArrayList<>();
            for (int r = 0; r < options.floorRuns(); r++) {
                for (final int fanOut : options.floorFanOuts()) {
                    final StreamsFloorRun.Result result = StreamsFloorRun.run(kafka, "floor" + fanOut + "x" + r, tuning,
                            new SyntheticWorkload(options.users(), options.items(), options.seed() + 300 + r),
                            options.events(), fanOut, fanOut == 1 ? 0 : copyBytes, Duration.ofMinutes(20));
                    System.out.printf(Locale.ROOT, "floor run %d, fan-out %d%s: %.0f events/s through a pass-through Kafka Streams"
                                    + " application (%.2f appends and %.3f ms of CPU per event)%n", r + 1, fanOut,
                            result.copyBytes() == 0 ? "" : " of " + result.copyBytes() + " B", result.eventsPerSecond(),
                            result.appendsPerEvent(), result.cpuMillisPerEvent());
                    floor.add(result);
                }
            }

            // The floor of this design: the updater's record flow, counts and sizes taken from the
            // analysed run, with no application logic; what is above it is the updater's own code.
            // Interleaved per repetition with the leanest flow the design allows: one item step per event.
            final List<DesignFloorRun.Result> designFloor = new ArrayList<>();
            final DesignFloorRun.Shape shape = options.designFloorRuns() > 0 && !throughput.isEmpty()
                    ? DesignFloorRun.Shape.of(Outcome.analysedOf(throughput), options.items()) : null;
            if (shape != null) {
                System.out.println("design floor shape, from throughput run " + throughput.size() + ": " + shape);
            }
            for (int r = 0; shape != null && r < options.designFloorRuns(); r++) {
                for (final DesignFloorRun.Shape flow : List.of(shape, shape.withStepsPerEvent(1))) {
                    final DesignFloorRun.Result result = DesignFloorRun.run(kafka, "design" + designFloor.size(), tuning,
                            new SyntheticWorkload(options.users(), options.items(), options.seed() + 400 + r),
                            options.events(), flow, options.seed() + r, Duration.ofMinutes(20));
                    System.out.printf(Locale.ROOT, "design floor run %d, %.2f item steps per event: %.0f events/s through the"
                                    + " updater's record flow without its logic (%.2f appends, %.2f item-factor records and %.3f ms"
                                    + " of CPU per event)%n", r + 1, flow.stepsPerEvent(), result.eventsPerSecond(),
                            result.appendsPerEvent(), result.itemFactorRecordsPerEvent(), result.cpuMillisPerEvent());
                    designFloor.add(result);
                }
            }

            final List<WorkloadRun.Result> latency = new ArrayList<>();
            HotPathProfile.Summary latencyProfile = null;
            for (int r = 0; r < options.latencyRuns(); r++) {
                final long events = (long) (options.latencyRate() * options.latencySeconds());
                // Per event, the paced run costs more than the flat-out one; its own profile says where.
                final HotPathProfile recorder = options.profile() && r == 0 ? new HotPathProfile() : null;
                final WorkloadRun.Result result = WorkloadRun.run(kafka, "lat" + r, tuning,
                        new SyntheticWorkload(options.users(), options.items(), options.seed() + 100 + r), events,
                        options.latencyRate(), (long) (options.latencyRate() * options.warmupSeconds()), recorder,
                        Duration.ofMinutes(5));
                if (recorder != null) {
                    latencyProfile = recorder.stopAndSummarise(Files.createTempFile("streamrec-bench-latency", ".collapsed"), 15);
                }
                System.out.printf(Locale.ROOT, "latency run %d at %.0f events/s: p50 %.0f  p95 %.0f  p99 %.0f ms (%d lists);"
                        + " backlog %,d events when sending stopped, %,d item steps when the lists were through%n",
                        r + 1, options.latencyRate(), result.endToEnd().percentile(50), result.endToEnd().percentile(95),
                        result.endToEnd().percentile(99), result.endToEnd().size(), result.backlogAtSent(), result.itemStepsBehind());
                latency.add(result);
            }

            // The same workload at lower offered loads: what the JVM pays per second whatever the
            // load (commits, polls, wake-ups, JIT) against what it pays per event.
            final List<WorkloadRun.Result> sweep = new ArrayList<>();
            for (int r = 0; r < options.sweepRates().size(); r++) {
                final double rate = options.sweepRates().get(r);
                final WorkloadRun.Result result = WorkloadRun.run(kafka, "sweep" + r, tuning,
                        new SyntheticWorkload(options.users(), options.items(), options.seed() + 200 + r),
                        (long) (rate * options.latencySeconds()), rate, (long) (rate * options.warmupSeconds()), null,
                        Duration.ofMinutes(5));
                System.out.printf(Locale.ROOT, "sweep run at %.0f events/s: %.2f cores, %.2f ms of CPU per event;"
                                + " from the send p99 %.0f ms%n", rate, result.coresUsed(), result.cpuMillisPerEvent(),
                        result.fromSend().percentile(99));
                sweep.add(result);
            }

            final List<Outcome.Accuracy> accuracy = new ArrayList<>();
            final List<WorkloadRun.Result> movieLensThroughput = new ArrayList<>();
            AccuracyRun.Result clusteredAccuracy = null;
            OfflineComparison.Figures offline = null;
            OfflineComparison.Figures offlineDelayed = null;
            if (options.dataset() != null) {
                List<RatingEvent> events = MovieLensReader.readInTimeOrder(options.dataset());
                if (options.limit() > 0 && options.limit() < events.size()) {
                    events = events.subList(0, options.limit());
                }
                // The file as fast as it can be sent, with the throughput runs' settings (partitions,
                // sampled quality monitor) plus what MovieLens' old timestamps and bursts need; as many
                // runs as the synthetic workload gets, each on fresh topics and state, median reported.
                final Map<String, String> replayTuning = new LinkedHashMap<>(tuning);
                replayTuning.putAll(MovieLensWorkload.SETTINGS);
                for (int r = 0; r < options.throughputRuns(); r++) {
                    System.out.printf(Locale.ROOT, "throughput, %s, run %d: %,d ratings as fast as possible%n",
                            options.dataset().getFileName(), r + 1, events.size());
                    final WorkloadRun.Result result = WorkloadRun.run(kafka, "mltput" + r, replayTuning,
                            new MovieLensWorkload(events, "mlt-"), events.size(), 0, events.size(), null, Duration.ofMinutes(20));
                    System.out.printf(Locale.ROOT, "  %.0f events/s end to end (this JVM used %.2f cores)%n",
                            result.eventsPerSecond(), result.coresUsed());
                    movieLensThroughput.add(result);
                }
                final Map<String, String> accuracyTuning = new LinkedHashMap<>(tuning);
                accuracyTuning.putAll(AccuracyRun.SETTINGS);
                for (final int partitions : options.accuracyPartitions()) {
                    accuracyTuning.put("topics.partitions", String.valueOf(partitions));
                    final AccuracyRun.Result result = AccuracyRun.run(kafka, "acc" + partitions, accuracyTuning, events,
                            options.accuracyRate(), Duration.ofMinutes(10));
                    System.out.printf(Locale.ROOT, "Kafka replay, %d partition(s): RMSE %.4f  recall@10 %.4f  recall@20 %.4f%n",
                            partitions, result.last().rmse(), result.last().recallAt10(), result.last().recallAt20());
                    accuracy.add(new Outcome.Accuracy(partitions, result));
                }
                accuracyTuning.put("topics.partitions", "1");
                accuracyTuning.putAll(Outcome.CLUSTERED_ACCURACY_SETTINGS);
                clusteredAccuracy = AccuracyRun.run(kafka, "acc-clustered", accuracyTuning, events,
                        options.accuracyRate(), Duration.ofMinutes(10));
                System.out.printf(Locale.ROOT, "Kafka replay, 1 partition, cluster-index candidates: RMSE %.4f  recall@10 %.4f"
                                + "  recall@20 %.4f%n", clusteredAccuracy.last().rmse(), clusteredAccuracy.last().recallAt10(),
                        clusteredAccuracy.last().recallAt20());
                final Hyperparameters model = accuracy.get(0).result().model();
                offline = OfflineComparison.run(events, model, 0, options.seed(), 3);
                final AccuracyRun.Result first = accuracy.get(0).result();
                offlineDelayed = OfflineComparison.run(events, model,
                        itemDelay(events.size() / first.seconds(), first.itemStepsPerEvent()), options.seed(), 3);
            }

            final Outcome outcome = Outcome.builder(options).tuning(tuning).throughput(throughput, profile)
                    .movieLensThroughput(movieLensThroughput).ceiling(recordBytes, ceiling).floor(floor).designFloor(designFloor)
                    .latency(latency, latencyProfile).sweep(sweep).accuracy(accuracy, clusteredAccuracy, offline, offlineDelayed)
                    .wall((System.nanoTime() - began) / 1e9, loadBefore).build();
            writeCharts(outcome);
            final String report = ReportWriter.write(outcome);
            Files.writeString(options.out().resolve("report.md"), report, StandardCharsets.UTF_8);
            System.out.println();
            System.out.println(report);
        }
        // Kafka's test kit and client threads are not all daemons; the benchmark must end by itself.
        System.exit(0);
    }

    /**
     * The item-side staleness of the Kafka replay, in events: an item step reaches the learner's
     * item model after two exactly-once hops (item-steps repartition, model.item-factors global
     * topic), each visible only after a commit (commit interval 100 ms), plus polling and the
     * item stage's cache flush: about 0.3 s of events at the rate the replay actually achieved,
     * times the item steps each event sends (the offline replay delays steps, not events). An
     * estimate, used only to show the offline replay under comparable staleness.
     */
    static int itemDelay(final double achievedRate, final double stepsPerEvent) {
        return (int) Math.round(achievedRate * 0.3 * stepsPerEvent);
    }

    private static void writeCharts(final Outcome o) throws java.io.IOException {
        final Path out = o.options().out();
        if (!o.throughput().isEmpty()) {
            Charts.throughput(o.analysed(), out.resolve("throughput.png"));
        }
        if (!o.latency().isEmpty()) {
            final WorkloadRun.Result median = o.latencyMedianRun();
            Charts.latency(median.endToEnd(), median.generation(), o.options().latencyRate(), out.resolve("latency.png"));
        }
        if (!o.accuracy().isEmpty()) {
            Charts.recall(o.accuracy().get(0).result(), o.offline(), out.resolve("recall.png"));
        }
    }
}
