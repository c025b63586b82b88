package dev.streamrec.updater;

import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.topology.TopicProvisioner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the profile-updater: loads configuration (defaults, then the properties file named by the
 * first argument if any, then {@code STREAMREC_*} environment variables), builds the topology,
 * starts Kafka Streams and closes it cleanly on shutdown. Nothing else happens here.
 */
public final class ProfileUpdaterApp {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileUpdaterApp.class);

    private ProfileUpdaterApp() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final UpdaterConfig config = UpdaterConfig.load(args.length > 0 ? Path.of(args[0]) : null);
        final KafkaStreams streams = start(config);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(30));
            stopped.countDown();
        }, "profile-updater-shutdown"));
        stopped.await();
    }

    /** Builds and starts the application; the caller closes it. */
    public static KafkaStreams start(final UpdaterConfig config) {
        if (config.settings().bool("topics.create")) {
            TopicProvisioner.ensureTopics(config, config.settings().intValue("topics.partitions", 1, 10_000),
                    (short) config.settings().intValue("topics.replication.factor", 1, 32));
        }
        // Created or not, existing event topics may disagree on their partition counts.
        TopicProvisioner.requireCoPartitionedEventTopics(config);
        final Topology topology = ProfileUpdaterTopology.build(config);
        LOG.info("Starting {} against {}\n{}", config.applicationId(), config.bootstrapServers(), topology.describe());
        final KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties());
        // A bug that escapes every handler replaces the stream thread rather than killing the instance.
        streams.setUncaughtExceptionHandler(exception -> {
            LOG.error("Stream thread failed; replacing it", exception);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return streams;
    }
}
