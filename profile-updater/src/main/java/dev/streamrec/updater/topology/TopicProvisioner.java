package dev.streamrec.updater.topology;

import dev.streamrec.updater.config.UpdaterConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the application's topics when they are missing, with the settings their use needs:
 * the model, profile, recommendation and catalog topics compacted (only the latest value per key
 * matters and a new instance reads them from the start), the event and dead-letter topics
 * deleted by time. Existing topics are left as they are.
 */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    /**
     * The admin client's settings: the ones Kafka Streams gives its own admin client from the same
     * configuration ({@code StreamsConfig#getAdminConfigs}), so a secured cluster
     * ({@code kafka.security.protocol}, {@code kafka.sasl.*}, {@code kafka.ssl.*}, ...) is reached
     * the same way: {@code bootstrap.servers}, then every {@code kafka.} key that is an admin client
     * setting, then {@code kafka.admin.*} keys, which apply to admin clients only. Streams-only keys
     * ({@code kafka.num.stream.threads}, {@code kafka.producer.*}) are left out.
     */
    public static Map<String, Object> adminConfig(final UpdaterConfig config) {
        final Map<String, Object> passThrough = config.settings().withPrefix("kafka.");
        final Map<String, Object> admin = new HashMap<>();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        passThrough.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                admin.put(key, value);
            }
        });
        passThrough.forEach((key, value) -> {
            if (key.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
                admin.put(key.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()), value);
            }
        });
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG,
                passThrough.getOrDefault(AdminClientConfig.CLIENT_ID_CONFIG, config.applicationId()) + "-topic-provisioner");
        return admin;
    }

    public static void ensureTopics(final UpdaterConfig config, final int partitions, final short replication) {
        final UpdaterConfig.TopicNames t = config.topics();
        final Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        final List<NewTopic> wanted = new ArrayList<>();
        for (final String name : List.of(t.clicks(), t.purchases(), t.ratings(), t.dlq(), t.metrics())) {
            wanted.add(new NewTopic(name, partitions, replication));
        }
        for (final String name : List.of(t.catalog(), t.itemFactors(), t.profiles(), t.recommendations())) {
            wanted.add(new NewTopic(name, partitions, replication).configs(compacted));
        }
        try (Admin admin = Admin.create(adminConfig(config))) {
            final Set<String> existing = admin.listTopics().names().get();
            final List<NewTopic> missing = wanted.stream().filter(topic -> !existing.contains(topic.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
                LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
            }
        } catch (final ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw new IllegalStateException("Cannot list or create topics on " + config.bootstrapServers()
                        + " (security.protocol " + adminConfig(config).getOrDefault(AdminClientConfig.SECURITY_PROTOCOL_CONFIG,
                        AdminClientConfig.DEFAULT_SECURITY_PROTOCOL) + "; the admin client takes the kafka.* client settings"
                        + " Kafka Streams gets)", e.getCause());
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }
}
