package dev.streamrec.bench.e2e;

import dev.streamrec.demo.broker.InProcessKafka;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.topology.TopicProvisioner;
import dev.streamrec.updater.topology.Topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What Kafka Streams itself does on this machine: the throughput runs' events through an
 * application that does nothing but copy each input record to {@code fanOut} output records
 * (optionally zero-padded to a given size, such as the updater's mean appended record), with the
 * updater's own Kafka Streams properties ({@link UpdaterConfig#streamsProperties()}:
 * exactly_once_v2, the same commit interval, threads, partitions, producer and consumer
 * settings), on the same broker, sent by the same harness, clocked the same way from the first
 * send. It is the floor of any design built of that many Kafka Streams records per event here: no
 * Avro, no state store, no model, so an application can only be slower. With about the updater's
 * appends and bytes per event it says what they cost before any application code runs.
 *
 * <p>An event is through when the application's committed input offsets cover it (under
 * exactly-once they are committed in the transaction that wrote its copies).
 */
final class StreamsFloorRun {
    /**
     * One measurement.
     *
     * @param fanOut  output records written per input record
     * @param copyBytes size of each output value in bytes, or 0 for the input value as it is
     * @param events  events sent
     * @param seconds wall time from the first send until every event was through
     * @param cpuSeconds CPU time of this JVM (broker, application, harness) over the same interval
     * @param appends offsets the broker appended to the run's topics (inputs, output, commit markers)
     */
    record Result(int fanOut, int copyBytes, long events, double seconds, double cpuSeconds, long appends)
            implements PerEvent {
    }

    /** A floor run's figures per event and per second, from what it measured. */
    interface PerEvent {
        long events();

        double seconds();

        double cpuSeconds();

        long appends();

        default double eventsPerSecond() {
            return events() / seconds();
        }

        default double cpuMillisPerEvent() {
            return 1000 * cpuSeconds() / events();
        }

        default double appendsPerEvent() {
            return (double) appends() / events();
        }
    }

    private static final long POLL_MS = 50;

    private StreamsFloorRun() {
    }

    /**
     * The pass-through topology: every input record to {@code fanOut} output records carrying its
     * value, zero-padded to {@code copyBytes} when that is longer (0: as it is).
     */
    static Topology topology(final Topics topics, final int fanOut, final int copyBytes) {
        if (fanOut < 1) {
            throw new IllegalArgumentException("fan-out must be at least 1, got " + fanOut);
        }
        final StreamsBuilder builder = new StreamsBuilder();
        final KStream<byte[], byte[]> in = builder.stream(
                List.of(topics.clicks.name(), topics.purchases.name(), topics.ratings.name()),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()));
        // Distinct keys spread the copies over the output's partitions, as the updater's item
        // steps and item factors are spread over the items' partitions.
        final KStream<byte[], byte[]> out = fanOut == 1 && copyBytes == 0 ? in : in.flatMap((key, value) -> {
            final byte[] copy = copyBytes > value.length ? Arrays.copyOf(value, copyBytes) : value;
            final List<KeyValue<byte[], byte[]>> copies = new ArrayList<>(fanOut);
            for (int i = 0; i < fanOut; i++) {
                final byte[] copyKey = Arrays.copyOf(key, key.length + 1);
                copyKey[key.length] = (byte) i;
                copies.add(KeyValue.pair(copyKey, copy));
            }
            return copies;
        });
        out.to(topics.profiles.name(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        return builder.build();
    }

    static Result run(final InProcessKafka kafka, final String name, final Map<String, String> tuning,
                      final Workload workload, final long events, final int fanOut, final int copyBytes,
                      final Duration timeout)
            throws Exception {
        final Measured measured = measure(kafka, name, tuning, workload, events,
                topics -> topology(topics, fanOut, copyBytes), List.of(), timeout);
        return new Result(fanOut, copyBytes, events, measured.seconds(), measured.cpuSeconds(), measured.appends());
    }

    /**
     * What one run of a bytes-only application measured.
     *
     * @param seconds    wall time from the first send until every event was through
     * @param cpuSeconds CPU time of this JVM (broker, application, harness) over the same interval
     * @param volumes    offsets the broker appended per topic of the run ({@link TopicVolumes#of})
     */
    record Measured(double seconds, double cpuSeconds, Map<String, Long> volumes) {
        long appends() {
            return volumes.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Runs {@code topology} (built on the run's topics) with the updater's Kafka Streams
     * properties, sends {@code events} events and waits until the application's committed offsets
     * cover every input topic and each of {@code internalTopics} (names under the application id,
     * such as {@code "item-steps-repartition"}), so a later stage is clocked too.
     */
    static Measured measure(final InProcessKafka kafka, final String name, final Map<String, String> tuning,
                            final Workload workload, final long events, final Function<Topics, Topology> topology,
                            final List<String> internalTopics, final Duration timeout)
            throws Exception {
        final Path stateDir = Files.createTempDirectory("streamrec-floor-" + name);
        final UpdaterConfig config = BenchApp.config(kafka.bootstrapServers(), name, stateDir, tuning);
        TopicProvisioner.ensureTopics(config, config.settings().intValue("topics.partitions", 1, 10_000), (short) 1);
        final Topics topics = new Topics(config);
        final List<String> through = new ArrayList<>(List.of(topics.clicks.name(), topics.purchases.name(), topics.ratings.name()));
        internalTopics.forEach(internal -> through.add(config.applicationId() + "-" + internal));
        final KafkaStreams streams = new KafkaStreams(topology.apply(topics), config.streamsProperties());
        try (EventSender sender = new EventSender(kafka.bootstrapServers(), topics);
             Admin admin = kafka.admin()) {
            streams.start();
            BenchApp.awaitRunning(streams, "the floor application " + name);
            final double cpuStart = MachineLoad.processCpuSeconds();
            final long start = System.nanoTime();
            for (long i = 0; i < events; i++) {
                sender.send(workload.next(System.currentTimeMillis()));
            }
            sender.flush();
            final long deadline = System.nanoTime() + timeout.toNanos();
            while (!drained(admin, config.applicationId(), through)) {
                if (streams.state() == KafkaStreams.State.ERROR) {
                    throw new IllegalStateException(name + ": the floor application failed; see its log");
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + ": the floor application was not through after " + timeout);
                }
                Thread.sleep(POLL_MS);
            }
            final double seconds = (System.nanoTime() - start) / 1e9;
            final double cpu = MachineLoad.processCpuSeconds() - cpuStart;
            return new Measured(seconds, cpu, TopicVolumes.of(kafka, name));
        } finally {
            // Bounded, as for the updater's instances: a stuck close must not hang the benchmark.
            streams.close(Duration.ofSeconds(30));
            BenchApp.deleteTree(stateDir);
        }
    }

    private static boolean drained(final Admin admin, final String group, final List<String> topics)
            throws InterruptedException {
        for (final String topic : topics) {
            if (!TopicVolumes.lag(admin, group, topic).drained()) {
                return false;
            }
        }
        return true;
    }
}
