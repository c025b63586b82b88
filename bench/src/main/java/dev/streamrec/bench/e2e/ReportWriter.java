package dev.streamrec.bench.e2e;

import dev.streamrec.updater.config.UpdaterConfig;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** Renders an {@link Outcome} as the Markdown report (also printed to the console). */
final class ReportWriter {
    private final StringBuilder md = new StringBuilder();

    private ReportWriter() {
    }

    static String write(final Outcome o) {
        final ReportWriter w = new ReportWriter();
        w.header(o);
        w.summary(o);
        w.setup(o);
        w.throughput(o);
        w.latency(o);
        w.accuracy(o);
        w.profile(o);
        w.latencyProfile(o);
        w.loadSweep(o);
        return w.md.toString();
    }

    private void line(final String format, final Object... args) {
        md.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private void header(final Outcome o) {
        line("# streamrec end-to-end benchmark");
        line("");
        line("Generated %s by `dev.streamrec.bench.e2e.EndToEndBenchmark`%s in %.0f s of wall time; %d cores seen by the JVM,"
                        + " broker, application and harness in one JVM (max heap %d MB), Java %s.",
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), o.options().quick() ? " --quick" : "",
                o.wallSeconds(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("java.version"));
        line("");
        line("The two cores are shared with other work on this machine: load average %s when the benchmark started,"
                + " %s when it ended; the tables give the CPU this JVM actually got during each run.",
                o.loadBefore(), MachineLoad.loadAverage());
        line("");
    }

    private void summary(final Outcome o) {
        final double tput = o.throughputMedian();
        final double ceiling = o.ceilingMedian();
        final double share = tput / ceiling;
        final double p99 = o.latencyMedian(99);
        line("## Summary");
        line("");
        line("| figure | measured | target | verdict |");
        line("| --- | ---: | ---: | --- |");
        if (!o.throughput().isEmpty()) {
        line("| sustained end-to-end throughput, %,d synthetic events (%s) | %,.0f events/s | ≥ %,.0f | %s |",
                o.options().events(), runs(o.throughput().size()), tput, Outcome.TARGET_EVENTS_PER_SECOND,
                verdictAtLeast(tput, Outcome.TARGET_EVENTS_PER_SECOND));
        if (!o.movieLensThroughput().isEmpty()) {
            final double ml = o.movieLensThroughputMedian();
            line("| sustained end-to-end throughput, %s replayed (%,d ratings, %s) | %,.0f events/s | ≥ %,.0f | %s |",
                    o.options().dataset().getFileName(), o.movieLensMedianRun().events(), runs(o.movieLensThroughput().size()),
                    ml, Outcome.TARGET_EVENTS_PER_SECOND, verdictAtLeast(ml, Outcome.TARGET_EVENTS_PER_SECOND));
        }
        if (!o.ceiling().isEmpty()) { // --ceiling-runs 0: no ratio to print
        line("| broker ceiling: ProducerPerformance, %,d records of %.0f B (%s) | %,.0f records/s | | |",
                o.options().events(), o.recordBytes(), runs(o.ceiling().size()), ceiling);
        line("| throughput / ceiling | %.1f %% | ≥ %.0f %% | %s |", 100 * share, 100 * Outcome.TARGET_CEILING_SHARE,
                verdictAtLeast(share, Outcome.TARGET_CEILING_SHARE));
        }
        for (final int fanOut : o.floorFanOuts()) {
            final double floor = o.floorMedian(fanOut);
            final int copyBytes = o.floorRuns(fanOut).get(0).copyBytes();
            line("| Kafka Streams floor: the same events copied by a pass-through application to %s (%s) | %,.0f events/s"
                            + " | | ours %.1f %% of it |", fanOut == 1 && copyBytes == 0 ? "1 record each"
                            : fanOut + " records of " + (copyBytes == 0 ? "their size" : copyBytes + " B") + " each",
                    runs(o.floorRuns(fanOut).size()), floor, 100 * tput / floor);
        }
        for (final DesignFloorRun.Shape shape : o.designFloorShapes()) {
            final double designFloor = o.designFloorMedian(shape);
            line("| Kafka Streams floor of this design: the updater's record flow without its logic, %.2f item steps per event"
                            + " (%s) | %,.0f events/s | | ours %.1f %% of it |", shape.stepsPerEvent(),
                    runs(o.designFloorRuns(shape).size()), designFloor, 100 * tput / designFloor);
        }
        }
        if (!o.latency().isEmpty()) {
            line("| event-to-recommendation latency at %,.0f events/s, p50 / p95 / p99 (%s) | %.0f / %.0f / %.0f ms | p99 ≤ %.0f ms | %s |",
                    o.options().latencyRate(), runs(o.latency().size()), o.latencyMedian(50), o.latencyMedian(95), p99,
                    Outcome.TARGET_P99_MS, latencyVerdict(o, p99));
        }
        for (final Outcome.Accuracy a : o.accuracy()) {
            final MetricsWatcher.Combined k = a.result().last();
            line("| ML replay through Kafka (%d partition%s) vs offline: RMSE, recall@10, recall@20 | %.4f vs %.4f, %.4f vs %.4f,"
                            + " %.4f vs %.4f | within ±%.3f / ±%.3f | %s |", a.partitions(), a.partitions() == 1 ? "" : "s",
                    k.rmse(), o.offline().rmse(), k.recallAt10(), o.offline().recallAt10(), k.recallAt20(),
                    o.offline().recallAt20(), Outcome.rmseTolerance(a.partitions()), Outcome.recallTolerance(a.partitions()),
                    agrees(a, o.offline()) ? "agree" : "outside the band");
        }
        line("");
        line("The figures are medians over the repetitions stated; a single repetition is marked \"1 run\".");
        line("");
    }

    /** Each run's figure, rounded and in run order: "12,639 / 11,520 / 12,655". */
    private static <T> String perRun(final List<T> runs, final java.util.function.ToDoubleFunction<T> figure) {
        return runs.stream().map(r -> String.format(Locale.ROOT, "%,.0f", figure.applyAsDouble(r)))
                .collect(java.util.stream.Collectors.joining(" / "));
    }

    private static String runs(final int n) {
        return n == 1 ? "1 run" : "median of " + n + " runs";
    }

    /**
     * The latency is measured from when the application reads an event. Events can also wait in
     * the input topic before that, whenever the application is not keeping up with the offered
     * load at that moment: the p99 from the producer's send says whether they did, and a target
     * met from the read but not from the send is not met end to end. The lists do not wait for
     * the item stage either, so an item stage left behind is said too.
     */
    static String latencyVerdict(final Outcome o, final double p99) {
        if (p99 > Outcome.TARGET_P99_MS) {
            return String.format(Locale.ROOT, "missed by %.0f ms (%.1fx)", p99 - Outcome.TARGET_P99_MS,
                    p99 / Outcome.TARGET_P99_MS);
        }
        final double fromSend = o.sendLatencyMedian(99);
        final double backlog = o.backlogMedian();
        final double itemSteps = o.itemStepsBehindMedian();
        if (fromSend > Outcome.TARGET_P99_MS) {
            return String.format(Locale.ROOT, "met from the application's read, not from the producer's send (p99 %,.0f ms:"
                    + " events queued in the input topic; median backlog %,.0f events when sending stopped, item stage"
                    + " %,.0f item steps behind when the lists were through; see below)", fromSend, backlog, itemSteps);
        }
        return itemSteps > o.options().latencyRate()
                ? String.format(Locale.ROOT, "met for the lists, but the item stage fell behind (median %,.0f item steps"
                        + " not yet applied when the lists were through; see below)", itemSteps)
                : "met";
    }

    private static String verdictAtLeast(final double value, final double target) {
        return value >= target ? "met" : String.format(Locale.ROOT, "missed by %.0f %%", 100 * (1 - value / target));
    }

    static boolean agrees(final Outcome.Accuracy a, final OfflineComparison.Figures offline) {
        final MetricsWatcher.Combined k = a.result().last();
        return Math.abs(k.rmse() - offline.rmse()) <= Outcome.rmseTolerance(a.partitions())
                && Math.abs(k.recallAt10() - offline.recallAt10()) <= Outcome.recallTolerance(a.partitions())
                && Math.abs(k.recallAt20() - offline.recallAt20()) <= Outcome.recallTolerance(a.partitions());
    }

    private void setup(final Outcome o) {
        line("## Setup");
        line("");
        line("- **Broker**: one KRaft node (combined broker + controller) from Kafka 4.4.0's test kit, in-process,"
                + " on localhost, replication factor 1.");
        line("- **Application**: `ProfileUpdaterApp.start(config)`, the production entry point: the full topology"
                + " (validate, dedupe, catalogue join, profile, user-stage SGD, item-stage repartition, top-N refresh),"
                + " `processing.guarantee=exactly_once_v2`, UpdaterConfig's defaults (%s)"
                + " plus these settings:", describeDefaults());
        line("");
        for (final Map.Entry<String, String> e : o.tuning().entrySet()) {
            line("  - `%s=%s`", e.getKey(), e.getValue());
        }
        line("");
        line("- **Synthetic workload** (seeded): %,d users, %,d items in %d categories; planted latent tastes"
                        + " (item vector = category centroid + noise, user vector between two favourite categories);"
                        + " 70 %% clicks, 10 %% purchases, 20 %% ratings; user uniform, item 80 %% from a favourite category,"
                        + " skewed to popular items. The catalogue is published first. Mean input record %.0f B (key + Avro value).",
                o.options().users(), o.options().items(), SyntheticWorkload.CATEGORIES, o.recordBytes());
        if (o.options().warmupEvents() > 0) {
            line("- **Warm-up**: before the throughput run a separate instance (its own topics and state) processed %,d"
                    + " events of another seed, untimed, so the JIT has compiled broker, client and application code (a cold"
                    + " JVM spent about 70 µs of compiler-thread CPU per event over its first 300,000 events in one"
                    + " measured run).",
                    o.options().warmupEvents());
        }
        line("- **Input producer**: one idempotent producer, acks=all, linger 5 ms, batch 64 KiB, no compression —"
                + " the same properties are given to ProducerPerformance for the ceiling.");
        line("- **When is an event through?** A `read_committed` consumer reads `profiles.users` and"
                + " `recommendations.users`. A user is complete when their latest committed profile counts every event"
                + " sent for them and a committed recommendation list for them was generated at or after that profile's"
                + " `updatedAt` (same task, same clock: the list was computed after their last event was learned). The"
                + " clock starts at the first send and stops when every user is complete and the item stage has"
                + " committed every item step (its offsets on the item-steps topic), so the figure includes the"
                + " exactly-once commit, the item stage and the top-N refresh. The application consumes while the"
                + " producer is still sending.");
        line("- **Latency**: at a fixed offered load (paced producer that catches up after stalls, so coordinated"
                + " omission is not hidden), for every committed Recommendations: wall time at the read_committed consumer"
                + " − `triggerIngestTime` (ingest time of the oldest event the list is the first to reflect). Same JVM, same"
                + " clock. The first %d s of each run are warm-up and not recorded. Also shown: `generatedAt` −"
                + " `triggerIngestTime`, i.e. without the commit and fetch.", o.options().warmupSeconds());
        line("");
    }

    private void throughput(final Outcome o) {
        if (o.throughput().isEmpty()) {
            return;
        }
        line("## Throughput and ceiling");
        line("");
        line("| run | events | sent at (events/s) | through at (events/s) | seconds | lists through after | item steps not yet applied then | cores used by this JVM | CPU ms per event | load average at end |");
        line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        int i = 1;
        for (final WorkloadRun.Result r : o.throughput()) {
            line("| %d | %,d | %,.0f | %,.0f | %.1f | %.1f s | %,d | %.2f of %d | %.2f | %s |", i++, r.events(), r.sendRate(),
                    r.eventsPerSecond(), (r.throughMs() - r.startMs()) / 1000.0, (r.listsThroughMs() - r.startMs()) / 1000.0,
                    r.itemStepsBehind(), r.coresUsed(), Runtime.getRuntime().availableProcessors(), r.cpuMillisPerEvent(),
                    r.loadAverage());
        }
        line("");
        line("An event is through when a committed recommendation list reflects it and the item stage has applied every"
                + " item step it produced (committed offsets of the item-steps topic): the lists do not wait for the item"
                + " stage, and a rate at which the item model falls further behind with every event is not sustained."
                + " \"Lists through after\" is when the last list was; the next column is how far behind the item stage was then.");
        line("");
        final WorkloadRun.Result analysed = o.analysed();
        if (!Double.isNaN(analysed.drainMicrosPerItemStep())) {
            final double stepsPerEvent = analysed.volumes().getOrDefault(BenchApp.ITEM_STEPS_SUFFIX, 0L) / (double) analysed.events();
            line("What the item stage costs: in run %d it applied its last %,d item steps after the lists were through,"
                    + " with nothing else running, in %.1f s and %.1f CPU seconds of this JVM: %.0f µs per item step"
                    + " (its changelog, model.item-factors and the global thread's update included). At %.2f item-step"
                    + " offsets per event that is about %.0f µs of the run's %.0f µs per event.",
                    o.analysedRun(), analysed.itemStepsBehind(), (analysed.throughMs() - analysed.listsThroughMs()) / 1000.0,
                    analysed.drainCpuSeconds(), analysed.drainMicrosPerItemStep(), stepsPerEvent,
                    stepsPerEvent * analysed.drainMicrosPerItemStep(), 1000 * analysed.cpuMillisPerEvent());
            line("");
        }
        if (!o.movieLensThroughput().isEmpty()) {
            final WorkloadRun.Result ml = o.movieLensMedianRun();
            line("%s, replayed as fast as one producer sends it (%,d ratings in timestamp order, no catalogue,"
                    + " the runs' settings plus %s): %s events/s through to published recommendations; the median"
                    + " run sent at %,.0f events/s, took %.1f s, used %.2f cores of this JVM and %.2f ms of CPU per event. A few hundred"
                    + " users with long histories (each profile carries more items, and some exceed the bound on the history kept in it)"
                    + " and only ratings: a second operating point, not the same one.",
                    o.options().dataset().getFileName(), ml.events(), MovieLensWorkload.SETTINGS.keySet(),
                    perRun(o.movieLensThroughput(), WorkloadRun.Result::eventsPerSecond), ml.sendRate(), (ml.throughMs() - ml.startMs()) / 1000.0, ml.coresUsed(),
                    ml.cpuMillisPerEvent());
            line("");
        }
        line("\"CPU ms per event\" is this JVM's CPU time (broker, application and harness) over the timed run divided by"
                + " the events: what one event costs, whatever share of the cores the run was given. With both cores to"
                + " itself this JVM could at best do about %,.0f events/s at run %d's cost.",
                1000 * Runtime.getRuntime().availableProcessors() / analysed.cpuMillisPerEvent(), o.analysedRun());
        line("");
        line("Where run %d's CPU went (the last, whose code the JIT had compiled furthest),"
                + " by thread group, from the JVM's per-thread CPU clocks and, for threads the JVM"
                + " does not list, Linux's per-thread times (exact; the sampled profile below says what the"
                + " time is spent on):", o.analysedRun());
        line("");
        line("| thread group | CPU seconds | CPU µs per event | share |");
        line("| --- | ---: | ---: | ---: |");
        double minor = 0;
        for (final Map.Entry<String, Double> e : analysed.cpuByGroup().entrySet()) {
            final boolean named = e.getKey().equals(ThreadCpu.REMAINDER) || e.getKey().endsWith("(native)");
            if (e.getValue() < 0.005 * analysed.cpuSeconds() && !named) {
                minor += e.getValue(); // dozens of broker housekeeping threads: one line
                continue;
            }
            cpuLine(named ? e.getKey() : "`" + e.getKey() + "`", e.getValue(), analysed);
        }
        cpuLine("every other thread (each under 0.5 %)", minor, analysed);
        line("");
        // The paced run writes more per event where a commit interval holds fewer events to
        // collapse (item factors, the store caches' flushes), so both runs are shown side by side.
        final WorkloadRun.Result paced = o.latency().isEmpty() ? null : o.latency().get(0);
        line("What the broker appended during run %d, per topic of the application (end offsets, commit markers included;"
                + " bytes as produced, from its `BytesInPerSec` meters)%s:",
                o.analysedRun(), paced == null ? "" : String.format(Locale.ROOT, "; and per event in latency run 1, at %,.0f events/s",
                        o.options().latencyRate()));
        line("");
        line("| topic | offsets | per input event | bytes per input event |%s",
                paced == null ? "" : " per input event, paced | bytes per input event, paced |");
        line("| --- | ---: | ---: | ---: |%s", paced == null ? "" : " ---: | ---: |");
        long total = 0;
        long pacedTotal = 0;
        long bytes = 0;
        long pacedBytes = 0;
        for (final Map.Entry<String, Long> e : analysed.volumes().entrySet()) {
            final long pacedOffsets = paced == null ? 0 : paced.volumes().getOrDefault(e.getKey(), 0L);
            final long topicBytes = analysed.bytesIn().getOrDefault(e.getKey(), 0L);
            final long pacedTopicBytes = paced == null ? 0 : paced.bytesIn().getOrDefault(e.getKey(), 0L);
            line("| `…%s` | %,d | %.2f | %,.0f |%s", e.getKey(), e.getValue(), (double) e.getValue() / analysed.events(),
                    (double) topicBytes / analysed.events(), paced == null ? "" : String.format(Locale.ROOT, " %.2f | %,.0f |",
                            (double) pacedOffsets / paced.events(), (double) pacedTopicBytes / paced.events()));
            total += e.getValue();
            pacedTotal += pacedOffsets;
            bytes += topicBytes;
            pacedBytes += pacedTopicBytes;
        }
        line("| **all** | %,d | %.2f | %,.0f |%s", total, (double) total / analysed.events(), (double) bytes / analysed.events(),
                paced == null ? "" : String.format(Locale.ROOT, " %.2f | %,.0f |", (double) pacedTotal / paced.events(),
                        (double) pacedBytes / paced.events()));
        line("");
        brokerRequests(analysed, o.analysedRun(), paced);
        if (!o.ceiling().isEmpty()) {
        line("ProducerPerformance (`org.apache.kafka.tools.ProducerPerformance`, child JVM, same broker, %d partitions):"
                + " %s records/s; median %,.0f. Our end-to-end throughput is **%.1f %%** of it. Note what the ratio compares:"
                + " one raw produce against, per input event, a consumed record, state-store reads and writes with"
                + " changelogs, a profile, item-step records through a repartition topic, item factors, recommendation"
                + " lists, all in transactions.", Integer.parseInt(o.tuning().getOrDefault("topics.partitions", "4")),
                o.ceiling().stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList(), o.ceilingMedian(),
                100 * o.throughputMedian() / o.ceilingMedian());
        line("");
        }
        floor(o);
        designFloor(o);
        line("![throughput of run %d](throughput.png)", o.analysedRun());
        line("");
    }

    /**
     * Kafka Streams' floor beside ours: what the same events cost when the application does
     * nothing but copy them, once and about as many times as the updater appends per event.
     */
    private void floor(final Outcome o) {
        if (o.floor().isEmpty()) {
            return;
        }
        final WorkloadRun.Result analysed = o.analysed();
        line("Kafka Streams' floor on this machine (`StreamsFloorRun`): the same synthetic events, sent by the same harness"
                + " and clocked the same way, through an application with the updater's own Kafka Streams properties"
                + " (exactly_once_v2, the commit interval, threads, partitions, producer and consumer settings) that only copies"
                + " each input record, once as it is and, in the wider runs, to several records zero-padded to the updater's mean"
                + " appended size (%.0f B in run %d): no Avro, no state store, no model. A design writing that many Kafka"
                + " Streams records per event is at most this fast here.", analysed.bytesPerAppend(), o.analysedRun());
        line("");
        line("| output records per event | bytes each | runs (events/s) | median (events/s) | appends per event | CPU ms per event | ours as a share |");
        line("| ---: | ---: | --- | ---: | ---: | ---: | ---: |");
        for (final int fanOut : o.floorFanOuts()) {
            final List<StreamsFloorRun.Result> runs = o.floorRuns(fanOut);
            final double median = o.floorMedian(fanOut);
            line("| %d | %s | %s | %,.0f | %.2f | %.3f | %.1f %% |", fanOut,
                    runs.get(0).copyBytes() == 0 ? "as sent" : String.valueOf(runs.get(0).copyBytes()),
                    perRun(runs, StreamsFloorRun.Result::eventsPerSecond), median,
                    Outcome.median(runs, StreamsFloorRun.Result::appendsPerEvent),
                    Outcome.median(runs, StreamsFloorRun.Result::cpuMillisPerEvent), 100 * o.throughputMedian() / median);
        }
        line("");
        final int widest = o.floorFanOuts().stream().max(Integer::compare).orElseThrow();
        final List<StreamsFloorRun.Result> widestRuns = o.floorRuns(widest);
        final double widestFloor = o.floorMedian(widest);
        final double floorCpu = Outcome.median(widestRuns, StreamsFloorRun.Result::cpuMillisPerEvent);
        line("The updater made %.2f appends of %.0f B on average per event in run %d (inputs, outputs, changelogs, repartition"
                + " topics and commit markers) at %.3f ms of CPU per event; copying each event to %d such records (%.2f appends"
                + " per event) ran at %,.0f events/s and %.3f ms of CPU per event.", analysed.appendsPerEvent(),
                analysed.bytesPerAppend(), o.analysedRun(), analysed.cpuMillisPerEvent(), widest,
                Outcome.median(widestRuns, StreamsFloorRun.Result::appendsPerEvent), widestFloor, floorCpu);
        if (widestFloor < Outcome.TARGET_EVENTS_PER_SECOND) {
            line("The %,.0f events/s target is above what Kafka Streams alone does here with that many records per event:"
                    + " no application of this record count can meet it on this machine.", Outcome.TARGET_EVENTS_PER_SECOND);
        } else {
            final double budget = 1000 * Runtime.getRuntime().availableProcessors() / Outcome.TARGET_EVENTS_PER_SECOND;
            line("The %,.0f events/s target is within that, with little to spare: at %,.0f events/s %d cores give %.3f ms of"
                            + " CPU per event, of which the copying takes %.3f, leaving %.3f ms for everything the application"
                            + " does, against the updater's %.3f (its %.3f less the copying's): %.1f times less work per event.",
                    Outcome.TARGET_EVENTS_PER_SECOND, Outcome.TARGET_EVENTS_PER_SECOND, Runtime.getRuntime().availableProcessors(),
                    budget, floorCpu, budget - floorCpu, analysed.cpuMillisPerEvent() - floorCpu, analysed.cpuMillisPerEvent(),
                    (analysed.cpuMillisPerEvent() - floorCpu) / Math.max(1e-6, budget - floorCpu));
        }
        if (!o.ceiling().isEmpty()) {
            final double floorShare = widestFloor / o.ceilingMedian();
            line("That floor is %.1f %% of the ProducerPerformance ceiling: %s", 100 * floorShare,
                    floorShare < Outcome.TARGET_CEILING_SHARE
                            ? String.format(Locale.ROOT, "with this many records and bytes per event not even an application"
                                    + " that does nothing else reaches the %.0f %% target here.", 100 * Outcome.TARGET_CEILING_SHARE)
                            : String.format(Locale.ROOT, "the %.0f %% target is within reach of a design of this record count.",
                                    100 * Outcome.TARGET_CEILING_SHARE));
        }
        line("");
    }

    /**
     * The design's floor beside ours: what the updater's record flow costs with its logic taken
     * out, so what is above it is the updater's own code, and whether any implementation of the
     * design could meet the target here.
     */
    private void designFloor(final Outcome o) {
        if (o.designFloor().isEmpty()) {
            return;
        }
        final WorkloadRun.Result analysed = o.analysed();
        final List<DesignFloorRun.Shape> shapes = o.designFloorShapes();
        final DesignFloorRun.Shape updaters = shapes.get(0);
        line("The floor of this design (`DesignFloorRun`): the updater's record flow (DESIGN.md) with its logic taken out, on"
                        + " the same kind of events, with the same settings, harness and clock. Each event is read as bytes; the user's"
                        + " state (%d B) is read and rewritten in a logged RocksDB store; a profile (%d B) and, %.2f times per event, a"
                        + " list (%d B) are written; item steps (%d B) go through a repartition topic keyed by item into an item-keyed,"
                        + " cached, logged store of %d-B items, whose changes at each commit go to the item-factors topic and from"
                        + " there into a global store. Counts and sizes are what the updater appended in run %d (%.2f item steps per"
                        + " event: the observed item's and sampled negatives'); the leaner flow sends one step per event, the observed"
                        + " item's only. No Avro, no validation, no model, no top-N.", updaters.storedProfileBytes(),
                updaters.profileBytes(), updaters.listsPerEvent(), updaters.listBytes(), updaters.stepBytes(), updaters.itemBytes(),
                o.analysedRun(), updaters.stepsPerEvent());
        line("");
        line("| item steps per event | runs (events/s) | median (events/s) | appends per event | item-factor records per event"
                + " | CPU ms per event | ours as a share |");
        line("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        for (final DesignFloorRun.Shape shape : shapes) {
            final List<DesignFloorRun.Result> runs = o.designFloorRuns(shape);
            final double median = o.designFloorMedian(shape);
            line("| %.2f | %s | %,.0f | %.2f | %.2f | %.3f | %.1f %% |", shape.stepsPerEvent(),
                    perRun(runs, DesignFloorRun.Result::eventsPerSecond), median,
                    Outcome.median(runs, DesignFloorRun.Result::appendsPerEvent),
                    Outcome.median(runs, DesignFloorRun.Result::itemFactorRecordsPerEvent),
                    Outcome.median(runs, DesignFloorRun.Result::cpuMillisPerEvent), 100 * o.throughputMedian() / median);
        }
        line("");
        final double floorCpu = Outcome.median(o.designFloorRuns(updaters), DesignFloorRun.Result::cpuMillisPerEvent);
        line("The updater, in run %d: %.2f appends per event at %.3f ms of CPU per event, of which %.3f (%.0f %%) is above its"
                        + " flow's floor: its own code (validation, Avro, the profile, de-duplication, SGD, top-N and what they store).",
                o.analysedRun(), analysed.appendsPerEvent(), analysed.cpuMillisPerEvent(), analysed.cpuMillisPerEvent() - floorCpu,
                100 * (analysed.cpuMillisPerEvent() - floorCpu) / analysed.cpuMillisPerEvent());
        if (!o.floor().isEmpty()) {
            final int widest = o.floorFanOuts().stream().max(Integer::compare).orElseThrow();
            final double copyCpu = Outcome.median(o.floorRuns(widest), StreamsFloorRun.Result::cpuMillisPerEvent);
            line("Against the pass-through floor of %d copies (%.3f ms of CPU per event), the design's stores, its item steps read"
                            + " again after the repartition and the global store's updates cost %.3f ms more per event in the"
                            + " updater's flow: a record count alone understates what the design costs.", widest, copyCpu,
                    floorCpu - copyCpu);
        }
        final DesignFloorRun.Shape fastest = shapes.stream()
                .max(java.util.Comparator.comparingDouble(o::designFloorMedian)).orElseThrow();
        final List<DesignFloorRun.Result> fastestRuns = o.designFloorRuns(fastest);
        final double fastestFloor = o.designFloorMedian(fastest);
        final double fastestBest = fastestRuns.stream().mapToDouble(DesignFloorRun.Result::eventsPerSecond).max().orElseThrow();
        final String leanest = shapes.size() == 1 ? "this floor"
                : String.format(Locale.ROOT, "the floor of the flow with %.2f item steps per event", fastest.stepsPerEvent());
        if (fastestBest < Outcome.TARGET_EVENTS_PER_SECOND) {
            line("The %,.0f events/s target is above every run of %s: no implementation of this design%s meets it on this"
                            + " machine, however little its own code costs.", Outcome.TARGET_EVENTS_PER_SECOND, leanest,
                    shapes.size() == 1 ? "" : ", not even the leanest,");
        } else if (fastestFloor < Outcome.TARGET_EVENTS_PER_SECOND) {
            line("The %,.0f events/s target is at the edge of %s (its median %,.0f, its best run %,.0f events/s): only an"
                            + " implementation whose own code costs next to nothing could meet it, and not in every run on this"
                            + " machine.", Outcome.TARGET_EVENTS_PER_SECOND, leanest, fastestFloor, fastestBest);
        } else {
            final double budget = 1000 * Runtime.getRuntime().availableProcessors() / Outcome.TARGET_EVENTS_PER_SECOND;
            final double fastestCpu = Outcome.median(fastestRuns, DesignFloorRun.Result::cpuMillisPerEvent);
            line("At %,.0f events/s %d cores give %.3f ms of CPU per event, of which the plumbing of the flow with %.2f item"
                            + " steps per event takes %.3f, leaving %.3f ms for the application's own code against the updater's %.3f:"
                            + " %.1f times less.", Outcome.TARGET_EVENTS_PER_SECOND, Runtime.getRuntime().availableProcessors(),
                    budget, fastest.stepsPerEvent(), fastestCpu, budget - fastestCpu, analysed.cpuMillisPerEvent() - floorCpu,
                    (analysed.cpuMillisPerEvent() - floorCpu) / Math.max(1e-6, budget - fastestCpu));
        }
        if (shapes.size() > 1) {
            line("With its own %.2f item steps per event the updater is bounded by %,.0f events/s here, however cheap the"
                            + " rest of its code.", updaters.stepsPerEvent(), o.designFloorMedian(updaters));
        }
        line("");
    }

    /**
     * Requests the broker handled per event, by type: at a low offered load its CPU follows
     * requests (fetches that return a few records, produce requests, transaction markers) more
     * than the records appended.
     */
    private void brokerRequests(final WorkloadRun.Result analysed, final int run, final WorkloadRun.Result paced) {
        if (analysed.requests().isEmpty()) {
            return;
        }
        line("Requests the broker handled during run %d%s, by type (its `RequestsPerSec` meters):",
                run, paced == null ? "" : " and latency run 1");
        line("");
        line("| request | count | per 1,000 input events |%s", paced == null ? "" : " per 1,000 input events, paced |");
        line("| --- | ---: | ---: |%s", paced == null ? "" : " ---: |");
        final Set<String> types = new LinkedHashSet<>(analysed.requests().keySet());
        if (paced != null) {
            types.addAll(paced.requests().keySet());
        }
        for (final String type : types) {
            final long count = analysed.requests().getOrDefault(type, 0L);
            final long pacedCount = paced == null ? 0 : paced.requests().getOrDefault(type, 0L);
            if (1000.0 * count / analysed.events() < 0.05 && (paced == null || 1000.0 * pacedCount / paced.events() < 0.05)) {
                continue;
            }
            line("| %s | %,d | %.1f |%s", type, count, 1000.0 * count / analysed.events(),
                    paced == null ? "" : String.format(Locale.ROOT, " %.1f |", 1000.0 * pacedCount / paced.events()));
        }
        final long total = analysed.requests().values().stream().mapToLong(Long::longValue).sum();
        final long pacedTotal = paced == null ? 0 : paced.requests().values().stream().mapToLong(Long::longValue).sum();
        line("| **all** | %,d | %.1f |%s", total, 1000.0 * total / analysed.events(),
                paced == null ? "" : String.format(Locale.ROOT, " %.1f |", 1000.0 * pacedTotal / paced.events()));
        line("");
    }

    private void latency(final Outcome o) {
        if (o.latency().isEmpty()) {
            return;
        }
        line("## Event-to-recommendation latency at %,.0f events/s", o.options().latencyRate());
        line("");
        line("| run | lists recorded | p50 | p95 | p99 | max | before the commit: p50 / p95 / p99 | from the producer's send: p50 / p95 / p99 | backlog when sending stopped | item steps not applied when the lists were through | cores used | load average |");
        line("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | --- |");
        int i = 1;
        for (final WorkloadRun.Result r : o.latency()) {
            line("| %d | %,d | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f / %.0f / %.0f ms | %.0f / %.0f / %.0f ms | %,d events | %,d | %.2f | %s |",
                    i++, r.endToEnd().size(), r.endToEnd().percentile(50), r.endToEnd().percentile(95),
                    r.endToEnd().percentile(99), r.endToEnd().percentile(100), r.generation().percentile(50),
                    r.generation().percentile(95), r.generation().percentile(99), r.fromSend().percentile(50),
                    r.fromSend().percentile(95), r.fromSend().percentile(99), r.backlogAtSent(), r.itemStepsBehind(), r.coresUsed(),
                    r.loadAverage());
        }
        line("| median | | %.0f ms | %.0f ms | %.0f ms | | %.0f / %.0f / %.0f ms | %.0f / %.0f / %.0f ms | | | | |",
                o.latencyMedian(50), o.latencyMedian(95), o.latencyMedian(99), o.generationLatencyMedian(50),
                o.generationLatencyMedian(95), o.generationLatencyMedian(99), o.sendLatencyMedian(50),
                o.sendLatencyMedian(95), o.sendLatencyMedian(99));
        line("");
        line("The headline latency (receive − triggerIngestTime) starts when the application reads the event. If the"
                + " application cannot keep up with the offered load, events also queue in the input topic before that;"
                + " the \"from the producer's send\" columns include that queueing (receive time of the first committed list"
                + " computed after the event was learned − the time the harness sent it), and the backlog column says"
                + " how far behind the application was when the producer stopped.");
        line("");
        line("![latency](latency.png)");
        line("");
    }

    private void accuracy(final Outcome o) {
        if (o.accuracy().isEmpty()) {
            line("## Accuracy");
            line("");
            line("Skipped: no `--dataset` given.");
            line("");
            return;
        }
        final OfflineComparison.Figures off = o.offline();
        final OfflineComparison.Figures delayed = o.offlineDelayed();
        line("## Accuracy through Kafka vs the offline replay (%s, %,d ratings in timestamp order)",
                o.options().dataset().getFileName(), o.accuracy().get(0).result().last().ratingsScored());
        line("");
        line("Prequential (test, then train) on every rating; recall on rating-5 positives whose item is new to the user,"
                + " top 20 with the user's history excluded, hits at 10 and 20. Kafka figures: the topology's own"
                + " `model.metrics`, combined over tasks. Offline: `ReplayRun` (OfflineReplay's engine) with the same"
                + " hyperparameters in this JVM, median of %d negative-sampling seeds. Ratings offered at %,.0f events/s"
                + " (all scored after %.0f s, i.e. %,.0f events/s achieved with %d partition(s)); the replay's settings:"
                + " `%s`.", off.seeds(), o.options().accuracyRate(), o.accuracy().get(0).result().seconds(),
                o.accuracy().get(0).result().last().ratingsScored() / o.accuracy().get(0).result().seconds(),
                o.accuracy().get(0).partitions(), AccuracyRun.SETTINGS);
        line("");
        line("| model | RMSE | MAE | recall@10 | recall@20 | positives scored |");
        line("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (final Outcome.Accuracy a : o.accuracy()) {
            final MetricsWatcher.Combined k = a.result().last();
            line("| topology through Kafka, %d partition%s | %.4f | %.4f | %.4f | %.4f | %,d |", a.partitions(),
                    a.partitions() == 1 ? "" : "s", k.rmse(), k.mae(), k.recallAt10(), k.recallAt20(), k.positivesScored());
        }
        if (o.clusteredAccuracy() != null) {
            final MetricsWatcher.Combined c = o.clusteredAccuracy().last();
            line("| topology through Kafka, 1 partition, lists from cluster-index candidates (forced on) | %.4f | %.4f | %.4f | %.4f | %,d |",
                    c.rmse(), c.mae(), c.recallAt10(), c.recallAt20(), c.positivesScored());
        }
        line("| offline replay, same SGD code, item side applied at once | %.4f | %.4f | %.4f | %.4f | %,d |", off.rmse(),
                off.mae(), off.recallAt10(), off.recallAt20(), off.positives());
        line("| offline replay, item side %,d steps stale (≈ 0.3 s of the Kafka replay at %.1f item steps per rating) | %.4f | %.4f | %.4f | %.4f | %,d |",
                delayed.itemDelay(), o.accuracy().get(0).result().itemStepsPerEvent(), delayed.rmse(), delayed.mae(), delayed.recallAt10(), delayed.recallAt20(),
                delayed.positives());
        line("| popularity so far (offline) | | | %.4f | %.4f | |", off.popularityAt10(), off.popularityAt20());
        line("");
        line("Seed-to-seed spread of the offline replay (max − min over %d seeds): RMSE %.4f, recall@20 %.4f.",
                off.seeds(), off.rmseSpread(), off.recallAt20Spread());
        line("");
        line("Tolerance, fixed before measuring: |ΔRMSE| ≤ %.3f and |Δrecall@10|, |Δrecall@20| ≤ %.3f with 1 partition"
                        + " (one task learns in order; the only differences are the item side arriving a few hundred"
                        + " events late through two exactly-once hops, the negative-sampling random stream, and the offline"
                        + " harness leaving its first %d events unscored); ±%.3f / ±%.3f with several partitions, where"
                        + " each task also keeps its own running mean μ and tasks learn asynchronously.",
                Outcome.rmseTolerance(1), Outcome.recallTolerance(1), dev.streamrec.bench.model.ReplayOptions.DEFAULT_UNSCORED_PREFIX,
                Outcome.rmseTolerance(4), Outcome.recallTolerance(4));
        for (final Outcome.Accuracy a : o.accuracy()) {
            final MetricsWatcher.Combined k = a.result().last();
            line("- %d partition%s: ΔRMSE %+.4f, Δrecall@10 %+.4f, Δrecall@20 %+.4f → **%s**.", a.partitions(),
                    a.partitions() == 1 ? "" : "s", k.rmse() - off.rmse(), k.recallAt10() - off.recallAt10(),
                    k.recallAt20() - off.recallAt20(), agrees(a, off) ? "agree" : "outside the band");
        }
        if (o.clusteredAccuracy() != null && !o.accuracy().isEmpty()) {
            final MetricsWatcher.Combined c = o.clusteredAccuracy().last();
            final MetricsWatcher.Combined exact = o.accuracy().get(0).result().last();
            line("");
            final int minItems = Integer.parseInt(o.tuning().getOrDefault("recommendations.candidates.min.items",
                    String.valueOf(DEFAULT_CANDIDATES.minItems())));
            line("What candidate generation costs: catalogues of at least `recommendations.candidates.min.items` (%,d in"
                            + " these runs, so the throughput and latency runs above rank their %,d items %s) are ranked over"
                            + " the items of the user's best clusters only (√items k-means clusters, %d of them probed)."
                            + " MovieLens has too few items for that, so one more replay forces it on (%s): recall@10"
                            + " %+.4f, recall@20 %+.4f against the exact replay with %d partition%s above. The quality monitor"
                            + " ranks through the same path as the served lists, so this is what users would get. No verdict:"
                            + " it is the price of the approximation, not a disagreement between two implementations.",
                    minItems, o.options().items(), o.options().items() >= minItems ? "through the index" : "exactly",
                    DEFAULT_CANDIDATES.probes(),
                    Outcome.CLUSTERED_ACCURACY_SETTINGS, c.recallAt10() - exact.recallAt10(), c.recallAt20() - exact.recallAt20(),
                    o.accuracy().get(0).partitions(), o.accuracy().get(0).partitions() == 1 ? "" : "s");
        }
        line("");
        line("![recall](recall.png)");
        line("");
    }

    private void cpuLine(final String group, final double seconds, final WorkloadRun.Result run) {
        line("| %s | %.1f | %.0f | %.1f %% |", group, seconds, 1e6 * seconds / run.events(), 100 * seconds / run.cpuSeconds());
    }

    /** UpdaterConfig's defaults, which the report describes instead of restating them by hand. */
    private static final UpdaterConfig DEFAULTS = UpdaterConfig.of(Map.of());
    private static final UpdaterConfig.CandidateRules DEFAULT_CANDIDATES = DEFAULTS.recommendations().candidates();

    /** The defaults that shape the figures, read from UpdaterConfig rather than restated by hand. */
    private static String describeDefaults() {
        final java.util.Properties streams = DEFAULTS.streamsProperties();
        final UpdaterConfig.RecommendationRules r = DEFAULTS.recommendations();
        return String.format(Locale.ROOT, "commit interval %s ms, producer linger %s ms, %s; recommendations refreshed"
                        + " every %d ms, at most every %d ms per user, top %d; catalogues of %,d items or more ranked over"
                        + " the candidates of %d probed clusters of √items, index rebuilt every %d s",
                streams.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG),
                streams.get(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG)),
                streams.get(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG)),
                r.refreshInterval().toMillis(), r.minUserInterval().toMillis(), r.size(), r.candidates().minItems(),
                r.candidates().probes(), r.candidates().rebuildInterval().toSeconds());
    }

    private void profile(final Outcome o) {
        final HotPathProfile.Summary p = o.profile();
        if (p == null) {
            return;
        }
        line("## Where the time goes (CPU profile, throughput run %d)", o.analysedRun());
        line("");
        line("Every thread of the JVM sampled in proportion to its CPU time while the throughput run's events flowed"
                + " (%s), Java, native and kernel frames alike; %,d samples. Samples per thread group:", p.method(), p.samples());
        line("");
        table("thread group", p.byThreadGroup(), p.samples());
        final long stream = p.byThreadGroup().getOrDefault(HotPathProfile.STREAM_THREADS, 0L);
        line("Stream threads by activity: each sample goes to the innermost frame on its stack that names one"
                + " (a RocksDB read made by the top-N refresh counts as a RocksDB read), so the shares add up to 100 %%:");
        line("");
        table("activity", p.streamActivities(), stream);
        line("Stream threads, top-of-stack frames:");
        line("");
        table("frame", p.streamLeafFrames(), stream);
        line("Stream threads, nearest streamrec frame on the stack (which step of ours the time is spent under,"
                + " Kafka and RocksDB calls included):");
        line("");
        table("streamrec frame", p.streamProjectFrames(), stream);
    }

    /**
     * The paced latency run next to the flat-out throughput run, per event: what the instance
     * spends more on when events trickle in, which is why it falls behind an offered load below
     * its flat-out throughput.
     */
    private void latencyProfile(final Outcome o) {
        final HotPathProfile.Summary lp = o.latencyProfile();
        if (o.latency().isEmpty()) {
            return;
        }
        final WorkloadRun.Result lat = o.latency().get(0);
        final WorkloadRun.Result tput = o.analysed();
        final HotPathProfile.Summary tp = tput == null ? null : o.profile();
        line("## Where the time goes at %,.0f events/s (latency run 1)", o.options().latencyRate());
        line("");
        line("Latency run 1 cost %.2f ms of CPU per event (%,d events offered, %.2f cores used until the last was"
                        + " through)%s. Per thread group, in µs of CPU per event (same per-thread clocks as above):",
                lat.cpuMillisPerEvent(), lat.events(), lat.coresUsed(), tput == null ? ""
                        : String.format(Locale.ROOT, ", against %.2f ms in throughput run %d, where a backlog is drained"
                        + " flat out", tput.cpuMillisPerEvent(), o.analysedRun()));
        line("");
        line("| thread group | throughput run %d | latency run 1 |", o.analysedRun());
        line("| --- | ---: | ---: |");
        double minorTput = 0;
        double minorLat = 0;
        for (final Map.Entry<String, Double> e : lat.cpuByGroup().entrySet()) {
            final double tputSeconds = tput == null ? Double.NaN : tput.cpuByGroup().getOrDefault(e.getKey(), 0.0);
            if (e.getValue() < 0.005 * lat.cpuSeconds() && !e.getKey().endsWith("(native)")) {
                minorLat += e.getValue();
                minorTput += tput == null ? 0 : tputSeconds;
                continue;
            }
            line("| %s | %s | %.0f |", e.getKey().endsWith("(native)") ? e.getKey() : "`" + e.getKey() + "`",
                    perEvent(tputSeconds, tput), 1e6 * e.getValue() / lat.events());
        }
        line("| every other thread | %s | %.0f |", perEvent(tput == null ? Double.NaN : minorTput, tput),
                1e6 * minorLat / lat.events());
        line("");
        if (lp == null) {
            return;
        }
        line("Stream threads by activity (as above), in µs of CPU per event: the activity's share of the stream"
                + " threads' samples times their CPU per event (%,d samples of all threads in the latency run).", lp.samples());
        line("");
        line("| activity | throughput run %d | latency run 1 |", o.analysedRun());
        line("| --- | ---: | ---: |");
        final double latStream = streamMicrosPerEvent(lat);
        final long latSamples = lp.byThreadGroup().getOrDefault(HotPathProfile.STREAM_THREADS, 0L);
        final long tputSamples = tp == null ? 0 : tp.byThreadGroup().getOrDefault(HotPathProfile.STREAM_THREADS, 0L);
        lp.streamActivities().forEach((activity, n) -> {
            final String tputFigure = tp == null || tputSamples == 0 ? "–" : String.format(Locale.ROOT, "%.0f",
                    streamMicrosPerEvent(tput) * tp.streamActivities().getOrDefault(activity, 0L) / tputSamples);
            line("| `%s` | %s | %.0f |", activity, tputFigure, latSamples == 0 ? 0 : latStream * n / latSamples);
        });
        line("");
        line("Latency run 1's stream threads, top-of-stack frames:");
        line("");
        table("frame", lp.streamLeafFrames(), latSamples);
        line("Latency run 1's stream threads, nearest streamrec frame on the stack:");
        line("");
        table("streamrec frame", lp.streamProjectFrames(), latSamples);
    }

    /**
     * CPU against offered load: the sweep runs, latency run 1 and throughput run 1 side by side, in
     * cores (CPU seconds over the run's wall time). Below saturation a saving shows as fewer cores;
     * at the latency run's load the JVM takes what it can get, and CPU per event there is mostly
     * cores ÷ rate, so comparisons of builds belong at the lower loads.
     */
    private void loadSweep(final Outcome o) {
        if (o.sweep().isEmpty()) {
            return;
        }
        line("## CPU by offered load");
        line("");
        line("The same synthetic workload paced at lower loads (a fresh instance each, %d s, one run per load), beside"
                + " latency run 1 and throughput run %d. Cores are this JVM's CPU seconds over the run's wall time"
                + " (first send to last event through), split by the per-thread clocks above.", o.options().latencySeconds(),
                o.analysedRun());
        line("");
        line("| offered load | cores used | CPU ms per event | stream threads | JIT | broker (handlers + network)"
                + " | producer I/O | everything else | from the send p50 / p99 | backlog when sending stopped |");
        line("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
        for (int r = 0; r < o.sweep().size(); r++) {
            sweepRow(String.format(Locale.ROOT, "%,.0f events/s", o.options().sweepRates().get(r)), o.sweep().get(r), true);
        }
        if (!o.latency().isEmpty()) {
            sweepRow(String.format(Locale.ROOT, "%,.0f events/s (latency run 1)", o.options().latencyRate()),
                    o.latency().get(0), true);
        }
        final WorkloadRun.Result flat = o.analysed();
        if (flat != null) {
            sweepRow(String.format(Locale.ROOT, "flat out (throughput run %d)", o.analysedRun()), flat, false);
        }
        line("");
        if (flat == null) {
            return;
        }
        final double lowest = o.options().sweepRates().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        final WorkloadRun.Result low = o.sweep().get(o.options().sweepRates().indexOf(lowest));
        final double atFlatCost = lowest * flat.cpuMillisPerEvent() / 1000;
        line("At %,.0f events/s this JVM used %.2f cores; at throughput run %d's %.2f ms of CPU per event those events"
                        + " would need %.2f. The other %.2f cores are not proportional to the events: commits, polls and"
                        + " wake-ups of stream, client and broker threads with little to do each time, and the JIT still"
                        + " compiling.", lowest, low.coresUsed(), o.analysedRun(), flat.cpuMillisPerEvent(), atFlatCost,
                low.coresUsed() - atFlatCost);
        line("");
    }

    private void sweepRow(final String load, final WorkloadRun.Result run, final boolean paced) {
        final double wallSeconds = run.cpuSeconds() / Math.max(1e-9, run.coresUsed());
        final Map<String, Double> byGroup = run.cpuByGroup();
        final double stream = byGroup.getOrDefault(HotPathProfile.STREAM_THREADS, 0.0);
        final double jit = byGroup.getOrDefault(ThreadCpu.JIT, 0.0);
        final double broker = byGroup.getOrDefault(HotPathProfile.BROKER_HANDLERS, 0.0)
                + byGroup.getOrDefault(HotPathProfile.BROKER_NETWORK, 0.0);
        final double producers = byGroup.getOrDefault(HotPathProfile.PRODUCER_IO, 0.0);
        final double rest = run.cpuSeconds() - stream - jit - broker - producers;
        line("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s |", load, run.coresUsed(),
                run.cpuMillisPerEvent(), stream / wallSeconds, jit / wallSeconds, broker / wallSeconds,
                producers / wallSeconds, rest / wallSeconds,
                paced ? String.format(Locale.ROOT, "%.0f / %.0f ms", run.fromSend().percentile(50), run.fromSend().percentile(99)) : "–",
                paced ? String.format(Locale.ROOT, "%,d events", run.backlogAtSent()) : "–");
    }

    private static double streamMicrosPerEvent(final WorkloadRun.Result run) {
        return 1e6 * run.cpuByGroup().getOrDefault(HotPathProfile.STREAM_THREADS, 0.0) / run.events();
    }

    private static String perEvent(final double seconds, final WorkloadRun.Result run) {
        return run == null || Double.isNaN(seconds) ? "–" : String.format(Locale.ROOT, "%.0f", 1e6 * seconds / run.events());
    }

    private void table(final String what, final Map<String, Long> counts, final long total) {
        line("| %s | samples | share |", what);
        line("| --- | ---: | ---: |");
        counts.forEach((name, n) -> line("| `%s` | %,d | %.1f %% |", name, n, total == 0 ? 0 : 100.0 * n / total));
        line("");
    }
}
