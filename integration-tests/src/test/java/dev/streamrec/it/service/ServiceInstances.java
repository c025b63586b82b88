package dev.streamrec.it.service;

import dev.streamrec.it.infra.ItEnvironment;
import dev.streamrec.it.infra.TestKafka;
import dev.streamrec.it.infra.TestRegistry;
import dev.streamrec.it.infra.UniqueNames;
import dev.streamrec.service.ServiceRuntime;
import dev.streamrec.service.config.ServiceConfig;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.topology.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Topics and configuration for running several recommender-service instances of one application
 * against the shared test broker and registry: unique topic names and application id per test,
 * a state directory and HTTP port per instance.
 */
final class ServiceInstances {
    final String applicationId = UniqueNames.unique("service-it");
    final Map<String, String> topics = new HashMap<>();
    private final TestKafka kafka;
    private final TestRegistry registry;

    ServiceInstances(final TestKafka kafka, final TestRegistry registry, final int userPartitions) {
        this.kafka = kafka;
        this.registry = registry;
        for (final String key : new String[] {"topic.clicks", "topic.purchases", "topic.ratings", "topic.catalog",
            "topic.dlq", "topic.item.factors", "topic.profiles", "topic.recommendations", "topic.metrics"}) {
            topics.put(key, UniqueNames.unique(key.substring("topic.".length()).replace('.', '-')));
        }
        kafka.createTopic(topics.get("topic.recommendations"), userPartitions, true);
        kafka.createTopic(topics.get("topic.profiles"), userPartitions, true);
        kafka.createTopic(topics.get("topic.item.factors"), 2, true);
        kafka.createTopic(topics.get("topic.metrics"), 1, true);
        kafka.createTopic(topics.get("topic.catalog"), 1, true);
    }

    /** The topics with their serdes, as the updater would write them. */
    Topics topicSpecs() {
        return new Topics(new UpdaterConfig.TopicNames(topics.get("topic.clicks"), topics.get("topic.purchases"),
                topics.get("topic.ratings"), topics.get("topic.catalog"), topics.get("topic.dlq"),
                topics.get("topic.item.factors"), topics.get("topic.profiles"), topics.get("topic.recommendations"),
                topics.get("topic.metrics")), registry.serdeConfig());
    }

    /** The configuration every instance shares; {@link #start()} adds port and state dir. */
    ServiceConfig config(final int port, final Path stateDir) {
        final Map<String, String> settings = new HashMap<>(topics);
        settings.put("application.id", applicationId);
        settings.put("bootstrap.servers", kafka.bootstrapServers());
        settings.put("schema.registry.url", registry.url());
        settings.put("state.dir", stateDir.toString());
        settings.put("http.host", "127.0.0.1");
        settings.put("http.port", String.valueOf(port));
        settings.put("application.server", "127.0.0.1:" + port);
        settings.put("forward.timeout.ms", "2000");
        settings.put("kafka.replication.factor", "1");
        // The item vectors the tests publish hold two floats: the size the service must expect.
        settings.put("model.rank", "2");
        settings.put("model.sharing", "shared");
        return ServiceConfig.of(settings);
    }

    /** Starts one more instance on a free port with a state directory of its own. */
    ServiceRuntime start() {
        try {
            final Path stateRoot = ItEnvironment.workDir().resolve("streams-state");
            Files.createDirectories(stateRoot);
            return ServiceRuntime.start(config(freePort(), Files.createTempDirectory(stateRoot, applicationId + "-")));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A port free right now. The application must advertise its port in {@code application.server}
     * before Kafka Streams starts, so it cannot bind port 0 and learn the port afterwards.
     */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
