package dev.streamrec.updater.topology;

import dev.streamrec.updater.config.UpdaterConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the application's topics when they are missing, with the settings their use needs:
 * the model, profile, recommendation and catalog topics compacted (only the latest value per key
 * matters and a new instance reads them from the start), the event and dead-letter topics
 * deleted by time. Existing topics are left as they are; {@link #requireCoPartitionedEventTopics}
 * then refuses event topics whose partition counts differ, and
 * {@link #requireInternalTopicsPartitionedAsEventTopics} event topics grown under the application's
 * existing state.
 */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);
    /** How long newly created topics may take to become known to the broker answering. */
    private static final Duration TOPICS_VISIBLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration TOPICS_VISIBLE_POLL = Duration.ofMillis(100);

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

    /**
     * Refuses to start unless the three event topics exist and have the same partition count.
     * Kafka Streams enforces co-partitioning only for joins; these topics are merged, so with
     * {@code events.ratings} on 8 partitions and {@code events.clicks} on 4 a user's ratings and
     * clicks would reach different tasks, each with its own profile, factor vector and
     * de-duplication memory of that user. Topics that already exist are never changed here, so
     * this check is the only thing between such topics and split users.
     *
     * @return the event topics' partition count
     * @throws ConfigException naming each event topic, its {@code topic.*} key and its partition
     *                         count, or the event topics that do not exist
     */
    public static int requireCoPartitionedEventTopics(final UpdaterConfig config) {
        final Map<String, String> topicByKey = eventTopicsByKey(config.topics());
        final Map<String, Integer> partitions = partitionCounts(config, Set.copyOf(topicByKey.values()));
        final List<String> missing = new ArrayList<>();
        for (final String topic : topicByKey.values()) {
            if (!partitions.containsKey(topic)) {
                missing.add(topic);
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigException("The event topics " + describe(topicByKey, Map.of(), missing)
                    + " do not exist (create them co-partitioned, or set topics.create=true)");
        }
        requireSamePartitionCount(topicByKey, partitions);
        return partitions.get(config.topics().clicks());
    }

    /**
     * Refuses to start when the application's internal topics (its stores' changelogs and its
     * repartition topics) exist with another partition count than the event topics: the event
     * topics were grown (or recreated) under a deployment's state. Kafka Streams keeps a user's
     * profile, factors and de-duplication memory in the task of the partition their key hashed to;
     * with more partitions most keys hash to another one, whose task has nothing of them. Kafka
     * Streams itself only fails in its rebalance, minutes after the start and once per replaced
     * thread, naming one repartition topic and not the local state that must go too. A fresh
     * deployment, or one just reset, has no internal topics yet and passes.
     *
     * @param eventPartitions the event topics' partition count, from {@link #requireCoPartitionedEventTopics}
     * @param topology        the topology about to start, which names the internal topics
     * @throws ConfigException naming the internal topics, both counts and the procedure to grow
     *                         the event topics
     */
    public static void requireInternalTopicsPartitionedAsEventTopics(final UpdaterConfig config, final int eventPartitions,
                                                                     final TopologyDescription topology) {
        // A topic not created yet is not in the map: Kafka Streams creates it with the event topics' count.
        final Map<String, Integer> partitions = partitionCounts(config, internalTopics(config.applicationId(), topology));
        requireSamePartitionsAsEventTopics(config, eventPartitions, partitions);
    }

    /** The partition count of each of {@code topics} that exists, sorted by name; topics that do not exist are left out. */
    private static Map<String, Integer> partitionCounts(final UpdaterConfig config, final Set<String> topics) {
        final Map<String, Integer> partitions = new TreeMap<>();
        try (Admin admin = Admin.create(adminConfig(config))) {
            for (final Map.Entry<String, KafkaFuture<TopicDescription>> topic
                    : admin.describeTopics(topics).topicNameValues().entrySet()) {
                try {
                    partitions.put(topic.getKey(), topic.getValue().get().partitions().size());
                } catch (final ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw new IllegalStateException("Cannot describe topic " + topic.getKey() + " on "
                                + config.bootstrapServers(), e.getCause());
                    }
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing topics " + topics, e);
        }
        return partitions;
    }

    /**
     * The check of {@link #requireInternalTopicsPartitionedAsEventTopics} on described topics.
     *
     * @param internalPartitions partition count by name of the internal topics that exist
     */
    static void requireSamePartitionsAsEventTopics(final UpdaterConfig config, final int eventPartitions,
                                                   final Map<String, Integer> internalPartitions) {
        final Map<String, Integer> differing = new TreeMap<>();
        internalPartitions.forEach((topic, count) -> {
            if (count != eventPartitions) {
                differing.put(topic, count);
            }
        });
        if (differing.isEmpty()) {
            return;
        }
        final String eventTopics = String.join(",", eventTopicsByKey(config.topics()).values());
        final String internal = differing.entrySet().stream()
                .map(topic -> topic.getKey() + " has " + topic.getValue()).collect(Collectors.joining(", "));
        throw new ConfigException("The event topics (" + eventTopics + ") have " + eventPartitions
                + " partitions, but the internal topics of application.id " + config.applicationId()
                + " do not: " + internal + ". The event topics were grown (or recreated) under this application's"
                + " state, which is partitioned by the old count: many users' keys now hash to a partition whose"
                + " task holds none of their profile, factors or de-duplication memory. To go on with the new count,"
                + " dropping the users' state (items go on from their published factors; drain the lag first to"
                + " lose no item step): stop every instance;"
                + " run kafka-streams-application-reset.sh --application-id " + config.applicationId()
                + " --bootstrap-server " + config.bootstrapServers() + " --force [--command-config <client"
                + " settings, on a secured cluster>] (it deletes the internal topics"
                + " and keeps the committed offsets; not --to-earliest: records written before the growth stay"
                + " on their old partitions, and replaying them rebuilds a moved user's history where their new"
                + " events never arrive); delete every instance's local state ("
                + Path.of(config.stateDir(), config.applicationId()) + "); start the instances (README, Topics)");
    }

    /**
     * The names of the internal topics {@code topology} makes Kafka Streams create: a changelog
     * per store of its tasks ({@code <application.id>-<store>-changelog}; a store without logging
     * has none, and is then simply not found) and its repartition topics, the topics it both
     * writes and reads ({@code <application.id>-<name>-repartition}). Global stores are left out:
     * they read their own topics and have no changelog.
     */
    static Set<String> internalTopics(final String applicationId, final TopologyDescription topology) {
        final Set<String> stores = new TreeSet<>();
        final Set<String> written = new HashSet<>();
        final Set<String> read = new HashSet<>();
        for (final TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
            for (final TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    written.add(sink.topic());
                } else if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    read.addAll(source.topicSet());
                }
            }
        }
        final Set<String> topics = new TreeSet<>();
        stores.forEach(store -> topics.add(applicationId + "-" + store + "-changelog"));
        written.stream().filter(read::contains).forEach(topic -> topics.add(applicationId + "-" + topic));
        return topics;
    }

    /**
     * The check of {@link #requireCoPartitionedEventTopics} on described topics.
     *
     * @param topicByKey event topic names by their configuration key, in the order to name them
     * @param partitions partition count by topic name
     */
    static void requireSamePartitionCount(final Map<String, String> topicByKey, final Map<String, Integer> partitions) {
        if (topicByKey.values().stream().map(partitions::get).distinct().count() > 1) {
            throw new ConfigException("The event topics must be co-partitioned (the same partition count), but "
                    + describe(topicByKey, partitions, topicByKey.values())
                    + ": a user's events would reach different tasks, each keeping a profile, factors and"
                    + " de-duplication memory of its own. Give them the same partition count (which moves"
                    + " existing keys to other partitions), or point the topic.* keys at co-partitioned topics");
        }
    }

    /** The event topics' {@code topic.*} keys and names, in a fixed order. */
    static Map<String, String> eventTopicsByKey(final UpdaterConfig.TopicNames names) {
        final Map<String, String> byKey = new LinkedHashMap<>();
        byKey.put("topic.clicks", names.clicks());
        byKey.put("topic.purchases", names.purchases());
        byKey.put("topic.ratings", names.ratings());
        return byKey;
    }

    /** "events.clicks (topic.clicks) has 4 partitions, ..." for the {@code topics} among them. */
    private static String describe(final Map<String, String> topicByKey, final Map<String, Integer> partitions,
                                   final Collection<String> topics) {
        final List<String> parts = new ArrayList<>();
        topicByKey.forEach((key, topic) -> {
            if (topics.contains(topic)) {
                parts.add(topic + " (" + key + ")" + (partitions.containsKey(topic)
                        ? " has " + partitions.get(topic) + " partitions" : ""));
            }
        });
        return String.join(", ", parts);
    }

    /** Creates the missing topics as {@code topics.partitions} and {@code topics.replication.factor} say. */
    public static void ensureTopics(final UpdaterConfig config) {
        ensureTopics(config, newTopics(config));
    }

    /** Creates the missing topics with {@code partitions} partitions and {@code replication} replicas (tests). */
    public static void ensureTopics(final UpdaterConfig config, final int partitions, final short replication) {
        ensureTopics(config, newTopics(config.topics(), partitions, Optional.of(replication)));
    }

    /** The application's topics as {@link #ensureTopics(UpdaterConfig)} creates them when missing. */
    static List<NewTopic> newTopics(final UpdaterConfig config) {
        return newTopics(config.topics(), config.topicCreation().partitions(), config.topicCreation().replicationFactor());
    }

    /** @param replication empty: the broker's {@code default.replication.factor} */
    private static List<NewTopic> newTopics(final UpdaterConfig.TopicNames t, final int partitions,
                                            final Optional<Short> replication) {
        final Map<String, String> compacted = Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
        final List<NewTopic> wanted = new ArrayList<>();
        for (final String name : List.of(t.clicks(), t.purchases(), t.ratings(), t.dlq(), t.metrics())) {
            wanted.add(new NewTopic(name, Optional.of(partitions), replication));
        }
        for (final String name : List.of(t.catalog(), t.itemFactors(), t.profiles(), t.recommendations())) {
            wanted.add(new NewTopic(name, Optional.of(partitions), replication).configs(compacted));
        }
        return wanted;
    }

    private static void ensureTopics(final UpdaterConfig config, final List<NewTopic> wanted) {
        try (Admin admin = Admin.create(adminConfig(config))) {
            final Set<String> existing = admin.listTopics().names().get();
            final List<NewTopic> missing = wanted.stream().filter(topic -> !existing.contains(topic.name())).toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                    LOG.info("Created topics {}", missing.stream().map(NewTopic::name).toList());
                } catch (final ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                    // Another instance created it meanwhile; the others of the batch were created.
                }
                awaitDescribable(admin, missing.stream().map(NewTopic::name).collect(Collectors.toSet()));
            }
        } catch (final ExecutionException e) {
            throw new IllegalStateException("Cannot list or create topics on " + config.bootstrapServers()
                    + " (security.protocol " + adminConfig(config).getOrDefault(AdminClientConfig.SECURITY_PROTOCOL_CONFIG,
                    AdminClientConfig.DEFAULT_SECURITY_PROTOCOL) + "; the admin client takes the kafka.* client settings"
                    + " Kafka Streams gets)", e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }

    /**
     * Waits until the broker answers for {@code names}: a topic is created once the controller
     * commits it, and a broker's metadata may not know it for a moment after, when describing it
     * (the co-partitioning check, right after) still says it does not exist.
     */
    private static void awaitDescribable(final Admin admin, final Set<String> names)
            throws ExecutionException, InterruptedException {
        final long deadline = System.nanoTime() + TOPICS_VISIBLE_TIMEOUT.toNanos();
        while (true) {
            try {
                admin.describeTopics(names).allTopicNames().get();
                return;
            } catch (final ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(TOPICS_VISIBLE_POLL.toMillis());
            }
        }
    }
}
