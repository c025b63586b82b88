package dev.streamrec.bench.e2e;

import dev.streamrec.updater.ProfileUpdaterApp;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.topology.Names;
import dev.streamrec.updater.topology.Topics;
import org.apache.kafka.streams.KafkaStreams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One running profile-updater for one measurement, started exactly as production starts it
 * ({@link ProfileUpdaterApp#start}: topics, topology, exactly-once), with an application id,
 * topic names and state directory of its own so runs never see each other's data.
 */
final class BenchApp implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    /**
     * What follows the application id in the item-steps repartition topic's name (Kafka Streams
     * names it {@code <application.id>-<name>-repartition}), also the key of its volume in
     * {@link TopicVolumes#of}.
     */
    static final String ITEM_STEPS_SUFFIX = "-" + Names.ITEM_STEPS_TOPIC + "-repartition";

    final UpdaterConfig config;
    final Topics topics;
    /** The settings this run used on top of UpdaterConfig's defaults, for the report. */
    final Map<String, String> overrides;
    private final KafkaStreams streams;
    private final Path stateDir;

    private BenchApp(final UpdaterConfig config, final Map<String, String> overrides, final Path stateDir) {
        this.config = config;
        this.overrides = overrides;
        this.topics = new Topics(config);
        this.stateDir = stateDir;
        this.streams = ProfileUpdaterApp.start(config);
    }

    /**
     * Starts an instance named {@code name} and waits until it is RUNNING.
     *
     * @param tuning settings for this run (documented in the report), over UpdaterConfig's defaults
     */
    static BenchApp start(final String bootstrap, final String name, final Map<String, String> tuning)
            throws IOException, InterruptedException {
        final Path stateDir = Files.createTempDirectory("streamrec-bench-" + name);
        final BenchApp app = new BenchApp(config(bootstrap, name, stateDir, tuning), Map.copyOf(tuning), stateDir);
        app.awaitRunning();
        return app;
    }

    /**
     * The configuration of a run named {@code name}: its own application id, topic names and
     * state directory, the in-JVM registry, then {@code tuning} over UpdaterConfig's defaults.
     */
    static UpdaterConfig config(final String bootstrap, final String name, final Path stateDir,
                                final Map<String, String> tuning) {
        final Map<String, String> settings = new LinkedHashMap<>();
        settings.put("application.id", name);
        settings.put("bootstrap.servers", bootstrap);
        // In-memory registry shared inside this JVM: producer, app and readers agree on ids.
        settings.put("schema.registry.url", "mock://bench");
        settings.put("state.dir", stateDir.toString());
        for (final String topic : new String[] {"clicks", "purchases", "ratings", "catalog", "dlq", "item.factors",
                "profiles", "recommendations", "metrics"}) {
            settings.put("topic." + topic, name + "." + topic);
        }
        settings.put("kafka.replication.factor", "1");
        settings.putAll(tuning);
        return UpdaterConfig.of(settings);
    }

    private void awaitRunning() throws InterruptedException {
        awaitRunning(streams, "profile-updater");
    }

    /** Waits until {@code streams} is RUNNING (polled), or fails after two minutes. */
    static void awaitRunning(final KafkaStreams streams, final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException(what + " did not reach RUNNING: " + streams.state());
            }
            Thread.sleep(50);
        }
    }

    /** The consumer group that applies item steps (the item stage's application id). */
    String itemStageGroup() {
        return config.applicationId();
    }

    /** The topic the user stage sends item steps through. */
    String itemStepsTopic() {
        return config.applicationId() + ITEM_STEPS_SUFFIX;
    }

    KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        deleteTree(stateDir);
    }

    /** Deletes a run's state directory and everything in it. */
    static void deleteTree(final Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
