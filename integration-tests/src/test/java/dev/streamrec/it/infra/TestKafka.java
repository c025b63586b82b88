package dev.streamrec.it.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What an integration test needs from the shared broker: its address, topics, and producers and
 * consumers that wait for a condition or a deadline instead of for a fixed time. Obtain it with
 * {@link ItEnvironment#kafka()}; it is shared by all tests, so use {@link UniqueNames} for topics,
 * group ids and application ids.
 */
public final class TestKafka implements AutoCloseable {

    /** Admin calls on one local broker take milliseconds; this only bounds a broken broker. */
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final Admin admin;

    TestKafka(final String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The shared admin client. Owned by this class and closed at the end of the run: do not close
     * it (that would break every later test).
     */
    public Admin adminClient() {
        return admin;
    }

    /**
     * Creates a topic with replication factor 1 and returns once its leader is known, so a
     * producer or a Streams app started right after finds it.
     *
     * @param compacted {@code cleanup.policy=compact}, as for the catalog and model topics
     */
    public void createTopic(final String name, final int partitions, final boolean compacted) {
        final NewTopic topic = new NewTopic(name, partitions, (short) 1);
        if (compacted) {
            topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        }
        get(admin.createTopics(List.of(topic)).all(), "create topic " + name);
        Await.until(ADMIN_TIMEOUT, () -> leadersKnown(name, partitions),
                () -> "all " + partitions + " partitions of " + name + " to have a leader");
    }

    /** Properties for a producer: acks=all and idempotence, as the applications use. */
    public Map<String, Object> producerConfig() {
        final Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // A send to a topic that does not exist (auto-creation is off) fails after this, not
        // after the default minute.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return config;
    }

    /**
     * Properties for a consumer that reads only committed records (the applications write
     * transactionally under exactly_once_v2; read_uncommitted would show aborted output).
     */
    public Map<String, Object> consumerConfig(final String groupId) {
        final Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return config;
    }

    /**
     * Base configuration for a Kafka Streams application under test: its own application id (so
     * its internal topics and consumer group are its own), its own state directory, and a short
     * commit interval so exactly-once output becomes visible quickly.
     */
    public Properties streamsConfig(final String applicationId) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        try {
            final Path stateDir = ItEnvironment.workDir().resolve("streams-state");
            Files.createDirectories(stateDir);
            props.put(StreamsConfig.STATE_DIR_CONFIG,
                    Files.createTempDirectory(stateDir, applicationId + "-").toString());
        } catch (final IOException e) {
            throw new UncheckedIOException("Could not create a state directory for " + applicationId, e);
        }
        return props;
    }

    /** A producer with {@link #producerConfig()} plus {@code overrides}; the caller closes it. */
    public <K, V> KafkaProducer<K, V> newProducer(final Serializer<K> keySerializer,
                                                  final Serializer<V> valueSerializer,
                                                  final Map<String, Object> overrides) {
        final Map<String, Object> config = producerConfig();
        config.putAll(overrides);
        return new KafkaProducer<>(config, keySerializer, valueSerializer);
    }

    /**
     * Sends the records and returns once the broker has acknowledged all of them (a failed send
     * fails the test here, not later as a missing record).
     */
    public <K, V> List<RecordMetadata> produce(final Serializer<K> keySerializer,
                                               final Serializer<V> valueSerializer,
                                               final Collection<ProducerRecord<K, V>> records) {
        try (KafkaProducer<K, V> producer = newProducer(keySerializer, valueSerializer, Map.of())) {
            final List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (final ProducerRecord<K, V> record : records) {
                sent.add(producer.send(record));
            }
            producer.flush();
            final List<RecordMetadata> acked = new ArrayList<>();
            for (final Future<RecordMetadata> future : sent) {
                acked.add(get(future, "send to " + records.iterator().next().topic()));
            }
            return acked;
        }
    }

    /** {@link #produce(Serializer, Serializer, Collection)} for one record. */
    public <K, V> RecordMetadata produce(final String topic, final Serializer<K> keySerializer,
                                         final Serializer<V> valueSerializer, final K key, final V value) {
        return produce(keySerializer, valueSerializer, List.of(new ProducerRecord<>(topic, key, value))).get(0);
    }

    /**
     * Reads {@code topic} from the beginning of every partition (committed records only) until
     * {@code done} holds for everything read so far, and returns it; fails with what was read if
     * {@code timeout} passes first. Assigns partitions directly rather than joining a group: no
     * rebalance to wait for, and no offsets left behind.
     */
    public <K, V> List<ConsumerRecord<K, V>> consumeUntil(final String topic,
                                                          final Deserializer<K> keyDeserializer,
                                                          final Deserializer<V> valueDeserializer,
                                                          final Predicate<List<ConsumerRecord<K, V>>> done,
                                                          final Duration timeout) {
        return readFromBeginning(topic, keyDeserializer, valueDeserializer, timeout,
                (consumer, read) -> done.test(read),
                read -> "condition not met. Last: " + describeTail(read));
    }

    /** Reads until at least {@code count} records arrived; see {@link #consumeUntil}. */
    public <K, V> List<ConsumerRecord<K, V>> consume(final String topic, final Deserializer<K> keyDeserializer,
                                                     final Deserializer<V> valueDeserializer, final int count,
                                                     final Duration timeout) {
        return consumeUntil(topic, keyDeserializer, valueDeserializer, records -> records.size() >= count, timeout);
    }

    /**
     * Reads {@code topic} from the beginning up to the end offsets it has when reading starts
     * (for a read_committed consumer, the last stable offsets) and returns all of it. Call it once
     * the writers are known to have committed, to see every record they wrote and nothing fewer.
     */
    public <K, V> List<ConsumerRecord<K, V>> consumeToEnd(final String topic, final Deserializer<K> keyDeserializer,
                                                          final Deserializer<V> valueDeserializer, final Duration timeout) {
        final Map<TopicPartition, Long> ends = new HashMap<>();
        return readFromBeginning(topic, keyDeserializer, valueDeserializer, timeout, (consumer, read) -> {
            if (ends.isEmpty()) {
                ends.putAll(consumer.endOffsets(consumer.assignment(), timeout));
            }
            return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
        }, read -> "end offsets " + ends + " not reached");
    }

    private <K, V> List<ConsumerRecord<K, V>> readFromBeginning(
            final String topic, final Deserializer<K> keyDeserializer, final Deserializer<V> valueDeserializer,
            final Duration timeout, final BiPredicate<KafkaConsumer<K, V>, List<ConsumerRecord<K, V>>> done,
            final Function<List<ConsumerRecord<K, V>>, String> whatIsMissing) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        final Map<String, Object> config = consumerConfig(UniqueNames.unique("it-reader"));
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        final List<ConsumerRecord<K, V>> read = new ArrayList<>();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keyDeserializer, valueDeserializer)) {
            final List<TopicPartition> partitions = partitionsOf(consumer, topic, timeout);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!done.test(consumer, read)) {
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("Timed out after " + timeout + " reading " + topic + ": got "
                            + read.size() + " record(s), " + whatIsMissing.apply(read));
                }
                consumer.poll(Duration.ofNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200))))
                        .forEach(read::add);
            }
        }
        return read;
    }

    /**
     * Returns once consumer group {@code groupId} (a Kafka Streams application id) has committed,
     * on every partition of {@code topics}, the end offset those partitions had when this was
     * called: everything produced before it has been processed and its results committed.
     */
    public void awaitConsumed(final String groupId, final Collection<String> topics, final Duration timeout) {
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        get(admin.describeTopics(topics).allTopicNames(), "describe " + topics).values().forEach(description ->
                description.partitions().forEach(p -> latest.put(new TopicPartition(description.name(), p.partition()),
                        OffsetSpec.latest())));
        final Map<TopicPartition, Long> ends = new HashMap<>();
        get(admin.listOffsets(latest).all(), "end offsets of " + topics).forEach((tp, info) -> ends.put(tp, info.offset()));
        final Map<TopicPartition, Long> committed = new HashMap<>();
        Await.until(timeout, () -> {
            committed.clear();
            get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(), "offsets of " + groupId)
                    .forEach((tp, offset) -> committed.put(tp, offset == null ? 0L : offset.offset()));
            return ends.entrySet().stream().allMatch(e -> e.getValue() == 0 || committed.getOrDefault(e.getKey(), -1L) >= e.getValue());
        }, () -> groupId + " to commit the end offsets " + ends + " (committed " + committed + ")");
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(10));
    }

    private boolean leadersKnown(final String topic, final int partitions) {
        final TopicDescription description;
        try {
            description = admin.describeTopics(Set.of(topic)).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
        } catch (final ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                // The controller has created it, the broker's metadata cache has not caught up
                // yet: on a loaded machine this window is real. Not yet, not an error.
                return false;
            }
            throw new IllegalStateException("Failed: describe " + topic, e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: describe " + topic, e);
        } catch (final TimeoutException e) {
            throw new IllegalStateException("Timed out after " + ADMIN_TIMEOUT + ": describe " + topic, e);
        }
        return description.partitions().size() == partitions
                && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    }

    /**
     * Polls for the topic's partitions: a topic an application has just created (its output,
     * say) may not be in this client's metadata yet, which is "not yet", not "does not exist".
     */
    private static <K, V> List<TopicPartition> partitionsOf(final KafkaConsumer<K, V> consumer, final String topic,
                                                            final Duration timeout) {
        final List<List<PartitionInfo>> found = new ArrayList<>(1);
        Await.until(timeout, () -> {
            try {
                final List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
                if (infos != null && !infos.isEmpty()) {
                    found.add(infos);
                    return true;
                }
            } catch (final UnknownTopicOrPartitionException | org.apache.kafka.common.errors.TimeoutException e) {
                // not there yet
            }
            return false;
        }, () -> "topic " + topic + " to exist (auto-creation is off: create it with TestKafka.createTopic)");
        return found.get(0).stream().map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toList());
    }

    private static <K, V> String describeTail(final List<ConsumerRecord<K, V>> read) {
        return read.subList(Math.max(0, read.size() - 5), read.size()).stream()
                .map(r -> r.partition() + "@" + r.offset() + " " + r.key() + "=" + r.value())
                .collect(Collectors.joining("; ", "[", "]"));
    }

    private static <T> T get(final Future<T> future, final String what) {
        try {
            return future.get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + what, e);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("Failed: " + what, e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("Timed out after " + ADMIN_TIMEOUT + ": " + what, e);
        }
    }
}
