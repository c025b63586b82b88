package dev.streamrec.bench.e2e;

import dev.streamrec.demo.broker.InProcessKafka;

import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One measurement on the synthetic workload against a fresh application instance: publish the
 * catalogue, start the clock, send {@code events} events (as fast as possible, or paced at a fixed
 * offered load), and stop the clock when every event is reflected in a committed profile and a
 * committed recommendation list ({@link OutputWatcher}) and the item stage has applied every item
 * step those events produced. The application consumes while the producer is still sending, as in
 * production.
 *
 * <p>Why the item stage counts: the lists do not wait for it (they are scored against whatever item
 * factors the instance has), so a run that stopped at the last list would credit an instance whose
 * item model falls further behind with every event: not a rate it can sustain.
 */
final class WorkloadRun {
    /**
     * What one run measured.
     *
     * @param events          events sent
     * @param startMs         wall time of the first send
     * @param sentMs          wall time the last send was acknowledged
     * @param throughMs       wall time the last event was through, item stage included (0 if the run timed out)
     * @param meanRecordBytes mean key + value size of the input records
     * @param timeline        (wall ms, events reflected, recommendations seen) samples
     * @param endToEnd        receive time − triggerIngestTime, ms, after the warm-up
     * @param generation      generatedAt − triggerIngestTime, ms, after the warm-up
     * @param cpuSeconds      CPU time of this JVM (broker, app, harness) from first send to through
     * @param loadAverage     the machine's load averages when the run ended
     * @param volumes         offsets appended per application topic during the run ({@link TopicVolumes})
     * @param fromSend        receive time − the harness's send time of each event, ms, after the warm-up
     * @param backlogAtSent   events sent but not yet reflected in a committed profile when the last was sent
     * @param cpuByGroup      CPU seconds per thread group over the same interval as {@code cpuSeconds} ({@link ThreadCpu})
     * @param requests        requests the broker handled per type over the same interval ({@link BrokerMeters})
     * @param listsThroughMs  wall time the last event was reflected in a committed recommendation list
     * @param itemStepsBehind item steps not yet applied by the item stage at {@code listsThroughMs}
     * @param drainCpuSeconds CPU time of this JVM from {@code listsThroughMs} to {@code throughMs}: the
     *                        item stage working off {@code itemStepsBehind} with nothing else to do
     * @param bytesIn         bytes the broker appended per application topic over the same interval as
     *                        {@code cpuSeconds}, keyed like {@code volumes} ({@link BrokerMeters})
     */
    record Result(long events, long startMs, long sentMs, long throughMs, double meanRecordBytes,
                  List<long[]> timeline, LongSamples endToEnd, LongSamples generation, double cpuSeconds,
                  String loadAverage, Map<String, Long> volumes, LongSamples fromSend, long backlogAtSent,
                  Map<String, Double> cpuByGroup, Map<String, Long> requests, long listsThroughMs,
                  long itemStepsBehind, double drainCpuSeconds, Map<String, Long> bytesIn) {
        /** CPU milliseconds of this JVM (broker and harness included) per event: a cost that contention does not change much. */
        double cpuMillisPerEvent() {
            return 1000 * cpuSeconds / events;
        }

        /** Cores' worth of CPU this JVM used while the run was timed (2.0 = both cores, all the time). */
        double coresUsed() {
            return cpuSeconds / Math.max(0.001, ((throughMs == 0 ? System.currentTimeMillis() : throughMs) - startMs) / 1000.0);
        }

        double eventsPerSecond() {
            return throughMs == 0 ? Double.NaN : events * 1000.0 / (throughMs - startMs);
        }

        /**
         * CPU microseconds per item step while the item stage drained its backlog alone (broker,
         * item-factor publication and the global thread included); NaN when there was too little
         * backlog to say.
         */
        double drainMicrosPerItemStep() {
            return itemStepsBehind < 10_000 || throughMs == 0 ? Double.NaN : 1e6 * drainCpuSeconds / itemStepsBehind;
        }

        /** Offsets the broker appended to the run's topics per event (inputs and commit markers included). */
        double appendsPerEvent() {
            return volumes.values().stream().mapToLong(Long::longValue).sum() / (double) events;
        }

        /** Mean bytes the broker took in per offset appended to the run's topics (0 when not metered). */
        double bytesPerAppend() {
            final long appends = volumes.values().stream().mapToLong(Long::longValue).sum();
            return appends == 0 ? 0 : bytesIn.values().stream().mapToLong(Long::longValue).sum() / (double) appends;
        }

        double sendRate() {
            return events * 1000.0 / Math.max(1, sentMs - startMs);
        }
    }

    private WorkloadRun() {
    }

    /**
     * @param rate          offered load in events/s; ≤ 0 for as fast as possible
     * @param warmupEvents  latencies of lists triggered before this many events are not recorded
     * @param profile       recorded while events flow, or null
     */
    static Result run(final InProcessKafka kafka, final String name, final Map<String, String> tuning,
                      final Workload workload, final long events, final double rate,
                      final long warmupEvents, final HotPathProfile profile, final Duration timeout) throws Exception {
        try (BenchApp app = BenchApp.start(kafka.bootstrapServers(), name, tuning);
             EventSender sender = new EventSender(kafka.bootstrapServers(), app.topics);
             OutputWatcher watcher = new OutputWatcher(kafka.bootstrapServers(), app.topics.profiles.name(),
                     app.topics.recommendations.name());
             Admin admin = kafka.admin()) {
            if (rate > 0) {
                watcher.trackSends();
            }
            sender.sendCatalog(workload.catalog());
            Thread.sleep(2000); // let the global thread load the catalogue before the clock starts
            if (profile != null) {
                profile.start();
            }
            final Pacer pacer = new Pacer(rate);
            final double cpuStart = MachineLoad.processCpuSeconds();
            final ThreadCpu threadCpu = ThreadCpu.start();
            final BrokerMeters brokerMeters = BrokerMeters.start();
            final long start = System.currentTimeMillis();
            for (long i = 0; i < events; i++) {
                pacer.awaitNext();
                if (i == warmupEvents) {
                    watcher.recordLatencies(true);
                }
                final InputEvent event = workload.next(System.currentTimeMillis());
                watcher.expect(event.userId());
                sender.send(event);
            }
            sender.flush();
            final long sent = System.currentTimeMillis();
            final long backlog = events - watcher.reflectedEvents();
            watcher.sendingDone();
            final long listsThrough = watcher.awaitComplete(timeout);
            final double cpuAtLists = MachineLoad.processCpuSeconds();
            final long deadline = System.currentTimeMillis() + timeout.toMillis();
            final TopicVolumes.Lag itemStepsBehind = TopicVolumes.lag(admin, app.itemStageGroup(), app.itemStepsTopic());
            final long through = listsThrough == 0 ? 0 : awaitItemStage(admin, app, itemStepsBehind, deadline);
            final double cpuAtThrough = MachineLoad.processCpuSeconds();
            final double cpu = cpuAtThrough - cpuStart;
            final Map<String, Double> cpuByGroup = threadCpu.secondsByGroup();
            final Map<String, Long> requests = brokerMeters.requestsSinceStart();
            final Map<String, Long> bytesIn = TopicVolumes.ofRun(brokerMeters.bytesInSinceStart(), name);
            watcher.recordLatencies(false);
            if (through == 0) {
                System.out.printf("  %s: not through after %s (%d of %d events reflected, item stage %s)%n", name, timeout,
                        watcher.reflectedEvents(), events, TopicVolumes.lag(admin, app.itemStageGroup(), app.itemStepsTopic()));
            }
            return new Result(events, start, sent, through, sender.meanRecordBytes(), watcher.timeline(),
                    watcher.endToEndLatency(), watcher.generationLatency(), cpu, MachineLoad.loadAverage(),
                    TopicVolumes.of(kafka, name), watcher.sendLatency(), backlog, cpuByGroup, requests, listsThrough,
                    itemStepsBehind.offsets(), cpuAtThrough - cpuAtLists, bytesIn);
        }
    }

    /** Wall time the item stage had committed every item step (polled), or 0 past the deadline. */
    private static long awaitItemStage(final Admin admin, final BenchApp app, final TopicVolumes.Lag first,
                                       final long deadline) throws InterruptedException {
        TopicVolumes.Lag lag = first;
        while (!lag.drained()) {
            if (System.currentTimeMillis() > deadline) {
                return 0;
            }
            Thread.sleep(100);
            lag = TopicVolumes.lag(admin, app.itemStageGroup(), app.itemStepsTopic());
        }
        return System.currentTimeMillis();
    }
}
