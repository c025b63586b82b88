package dev.streamrec.updater;

import dev.streamrec.serde.SchemaRegistryClients;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.errors.ExitOnError;
import dev.streamrec.updater.errors.ThreadReplacementLimit;
import dev.streamrec.updater.topology.TopicProvisioner;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the profile-updater: loads configuration (defaults, then the properties file named by the
 * first argument if any, then {@code STREAMREC_*} environment variables), builds the topology,
 * starts Kafka Streams and closes it cleanly on shutdown. When Kafka Streams stops by itself
 * (state {@code ERROR}: a global thread failed, or stream threads kept failing) the process exits
 * with status 1, so that whatever supervises it restarts it, with its own backoff.
 */
public final class ProfileUpdaterApp {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileUpdaterApp.class);

    private ProfileUpdaterApp() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final UpdaterConfig config = UpdaterConfig.load(args.length > 0 ? Path.of(args[0]) : null);
        final ExitOnError lifecycle = new ExitOnError();
        final KafkaStreams streams = start(config, lifecycle);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(30));
            lifecycle.stopped();
        }, "profile-updater-shutdown"));
        final int status = lifecycle.awaitExitStatus();
        if (status != 0) {
            // Not from the state listener: it runs on a Kafka Streams thread, which the shutdown
            // hook's close() waits for.
            System.exit(status);
        }
    }

    /** Builds and starts the application; the caller closes it. */
    public static KafkaStreams start(final UpdaterConfig config) {
        return start(config, (newState, oldState) -> { });
    }

    /**
     * Builds and starts the application with {@code listener} told of every state change; the
     * caller closes it.
     */
    public static KafkaStreams start(final UpdaterConfig config, final KafkaStreams.StateListener listener) {
        // A wrong registry URL stops the start here, naming the key, not at the first record.
        SchemaRegistryClients.requireRegistryAt(config.serdeConfig());
        if (config.topicCreation().create()) {
            TopicProvisioner.ensureTopics(config);
        }
        // Created or not, existing event topics may disagree on their partition counts, or have
        // been grown under the state of an earlier run.
        final int partitions = TopicProvisioner.requireCoPartitionedEventTopics(config);
        final Topology topology = ProfileUpdaterTopology.build(config);
        TopicProvisioner.requireInternalTopicsPartitionedAsEventTopics(config, partitions, topology.describe());
        LOG.info("Starting {} against {}\n{}", config.applicationId(), config.bootstrapServers(), topology.describe());
        final KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties());
        streams.setUncaughtExceptionHandler(new ThreadReplacementLimit());
        streams.setStateListener(listener);
        streams.start();
        return streams;
    }
}
