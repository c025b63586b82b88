package dev.streamrec.updater.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.updater.topology.Names;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdaterConfigTest {

    @Test
    void defaultsThenFileThenEnvironment(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("updater.properties");
        Files.writeString(file, "events.dedupe.window.ms=60000\nrecommendations.size=30\nkafka.num.stream.threads=2\n");
        final Map<String, String> env = Map.of("STREAMREC_RECOMMENDATIONS_SIZE", "50", "UNRELATED", "x");

        final UpdaterConfig config = UpdaterConfig.from(Settings.load(UpdaterConfig.DEFAULTS, file, env));

        assertThat(config.dedupeWindow()).isEqualTo(Duration.ofMinutes(1));      // from the file
        assertThat(config.recommendations().size()).isEqualTo(50);              // env beats file
        assertThat(config.profile().affinityHalfLife()).isEqualTo(Duration.ofDays(7)); // default
        assertThat(config.streamsProperties().get("num.stream.threads")).isEqualTo("2"); // pass-through
        assertThat(config.streamsProperties().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(config.streamsProperties().get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)).isEqualTo("events.dlq");
        // Exactly-once: the producer lingers for the commit interval, which flushes it anyway.
        assertThat(config.streamsProperties().get(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG)))
                .isEqualTo(config.streamsProperties().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        // Batches large enough for a commit interval's records, unless the user says otherwise.
        assertThat(config.streamsProperties().get(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG)))
                .isEqualTo(UpdaterConfig.PRODUCER_BATCH_BYTES);
        assertThat(UpdaterConfig.of(Map.of("kafka.producer.batch.size", "65536")).streamsProperties()
                .get(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG))).isEqualTo("65536");
        // The main consumer waits a little for fuller fetches; the other consumers do not.
        assertThat(config.streamsProperties().get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)))
                .isEqualTo(UpdaterConfig.MAIN_FETCH_MAX_WAIT_MS);
        assertThat(config.streamsProperties().get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)))
                .isEqualTo(UpdaterConfig.MAIN_FETCH_MIN_BYTES);
        assertThat(config.streamsProperties()).doesNotContainKeys(
                StreamsConfig.globalConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
                StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG));
        assertThat(UpdaterConfig.of(Map.of("kafka.main.consumer.fetch.max.wait.ms", "0")).streamsProperties()
                .get(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG))).isEqualTo("0");
        // No waiting on empty input partitions, unless the user asks for it.
        assertThat(config.streamsProperties().get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG))
                .isEqualTo(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        assertThat(UpdaterConfig.of(Map.of("kafka.max.task.idle.ms", "0")).streamsProperties()
                .get(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG)).isEqualTo("0");
        // The dedupe store's index and filters are partitioned; the kafka.* pass-through changes that.
        assertThat(config.streamsProperties().get(BoundedMemoryRocksDbConfig.PARTITIONED_INDEX_STORES))
                .isEqualTo(Names.DEDUPE_STORE);
        assertThat(UpdaterConfig.of(Map.of("kafka." + BoundedMemoryRocksDbConfig.PARTITIONED_INDEX_STORES, ""))
                .streamsProperties().get(BoundedMemoryRocksDbConfig.PARTITIONED_INDEX_STORES)).isEqualTo("");
        assertThat(BoundedMemoryRocksDbConfig.isNamed(Names.DEDUPE_STORE, "")).isFalse();
    }

    @Test
    void badValuesStopTheStartWithTheKeyNamed() {
        assertThatThrownBy(() -> UpdaterConfig.of(Map.of("events.dedupe.window.ms", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("events.dedupe.window.ms");
        assertThatThrownBy(() -> UpdaterConfig.of(Map.of("processing.guarantee", "exactly_once")))
                .hasMessageContaining("processing.guarantee");
        assertThatThrownBy(() -> UpdaterConfig.of(Map.of("validation.rating.max", "0")))
                .hasMessageContaining("validation.rating.max");
        assertThatThrownBy(() -> UpdaterConfig.of(Map.of("recommendations.size", "0")))
                .hasMessageContaining("recommendations.size");
        assertThatThrownBy(() -> UpdaterConfig.of(Map.of("recommendations.exclude.clicked", "yes")))
                .hasMessageContaining("recommendations.exclude.clicked");
        assertThatThrownBy(() -> UpdaterConfig.of(Map.of("recommendations.candidates.probes", "0")))
                .hasMessageContaining("recommendations.candidates.probes");
        assertThatThrownBy(() -> UpdaterConfig.of(Map.of("item.factors.publish.interval.ms", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("item.factors.publish.interval.ms");
    }

    /**
     * The topics.* keys were read only when the topics were created, so with topics.create=false
     * a bad value passed unnoticed until someone turned creation on.
     */
    @Test
    void topicCreationKeysAreValidatedWhetherOrNotTopicsAreCreated() {
        for (final String create : List.of("true", "false")) {
            assertThatThrownBy(() -> UpdaterConfig.of(Map.of("topics.create", create, "topics.partitions", "abc")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("topics.partitions");
            assertThatThrownBy(() -> UpdaterConfig.of(Map.of("topics.create", create, "topics.partitions", "0")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("topics.partitions");
            assertThatThrownBy(() -> UpdaterConfig.of(Map.of("topics.create", create, "topics.replication.factor", "0")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("topics.replication.factor");
            assertThatThrownBy(() -> UpdaterConfig.of(Map.of("topics.create", create, "topics.replication.factor", "-2")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("topics.replication.factor");
            assertThatThrownBy(() -> UpdaterConfig.of(Map.of("topics.create", create, "topics.replication.factor", "40000")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("topics.replication.factor");
        }
        assertThatThrownBy(() -> UpdaterConfig.of(Map.of("topics.create", "maybe")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topics.create");
        final UpdaterConfig.TopicCreation creation = UpdaterConfig.of(Map.of("topics.create", "false",
                "topics.partitions", "12", "topics.replication.factor", "3")).topicCreation();
        assertThat(creation.create()).isFalse();
        assertThat(creation.partitions()).isEqualTo(12);
        assertThat(creation.replicationFactor()).contains((short) 3);
        assertThat(UpdaterConfig.of(Map.of()).topicCreation().replicationFactor()).isEmpty();
    }

    /**
     * {@code kafka.application.id} reached Kafka Streams after {@code application.id}: the
     * application ran under one id while its start-time checks described the other's topics.
     */
    @Test
    void aPassThroughKeyMayNotOverrideOneOfTheApplicationsOwn() {
        for (final String key : List.of("application.id", "bootstrap.servers", "state.dir", "processing.guarantee")) {
            assertThatThrownBy(() -> UpdaterConfig.of(Map.of("kafka." + key, "x")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("kafka." + key).hasMessageContaining("set " + key);
        }
        assertThat(UpdaterConfig.of(Map.of("kafka.num.standby.replicas", "1")).streamsProperties())
                .containsEntry("num.standby.replicas", "1");
    }

    /**
     * {@code kafka.streamrec.rocksdb.block.cache.bytes=1} silently replaced the block cache that
     * {@code rocksdb.block.cache.bytes} sized. The Streams properties whose value is an own key's
     * are found here by changing each own key in turn, so a property later set from a key is
     * covered without this test knowing of it.
     */
    @Test
    void noPassThroughKeyMayOverrideAStreamsPropertyThatAnOwnKeySets() {
        final Properties defaults = UpdaterConfig.of(Map.of()).streamsProperties();
        final Map<String, String> ownKeyByProperty = new TreeMap<>();
        for (final String key : UpdaterConfig.DEFAULTS.keySet()) {
            anotherValidValue(key).ifPresent(value -> UpdaterConfig.of(Map.of(key, value)).streamsProperties()
                    .forEach((property, set) -> {
                        if (String.valueOf(set).equals(value) && !String.valueOf(defaults.get(property)).equals(value)) {
                            ownKeyByProperty.put(property.toString(), key);
                        }
                    }));
        }
        assertThat(ownKeyByProperty)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "application.id")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "processing.guarantee")
                .containsEntry(BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES, "rocksdb.block.cache.bytes")
                .containsEntry(BoundedMemoryRocksDbConfig.WRITE_BUFFER_BYTES, "rocksdb.write.buffer.bytes")
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "topic.dlq");
        ownKeyByProperty.forEach((property, key) ->
                assertThatThrownBy(() -> UpdaterConfig.of(Map.of("kafka." + property, "1")))
                        .as("kafka.%s", property).isInstanceOf(ConfigException.class)
                        .hasMessageContaining("kafka." + property).hasMessageContaining("set " + key + " instead"));
        // Settings the application only tunes, with no key of its own, stay open to the pass-through.
        assertThat(UpdaterConfig.of(Map.of("kafka.commit.interval.ms", "1000")).streamsProperties())
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "1000");
    }

    /** A value of {@code key} other than its default that the configuration accepts, if one of a few tries is. */
    private static Optional<String> anotherValidValue(final String key) {
        final String value = UpdaterConfig.DEFAULTS.get(key);
        final List<String> candidates = new ArrayList<>(List.of(value + "-changed", "at_least_once",
                String.valueOf(!Boolean.parseBoolean(value))));
        try {
            final long number = Long.parseLong(value);
            candidates.addAll(List.of(String.valueOf(number * 2), String.valueOf(number + 1), String.valueOf(number / 2)));
        } catch (final NumberFormatException notWhole) {
            // a string, a boolean or a fraction: the other candidates
        }
        for (final String candidate : candidates) {
            if (candidate.equals(value)) {
                continue;
            }
            try {
                UpdaterConfig.of(Map.of(key, candidate));
                return Optional.of(candidate);
            } catch (final ConfigException refused) {
                // try the next
            }
        }
        return Optional.empty();
    }

    /**
     * Memtables are charged to the block cache, the documented bound on RocksDB's off-heap memory:
     * a larger write-buffer budget broke the bound and left the cache to memtables alone.
     */
    @Test
    void theWriteBufferBudgetMayNotExceedTheBlockCache() {
        assertThatThrownBy(() -> UpdaterConfig.of(Map.of("rocksdb.block.cache.bytes", String.valueOf(64L << 20),
                "rocksdb.write.buffer.bytes", String.valueOf(128L << 20))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rocksdb.write.buffer.bytes").hasMessageContaining("rocksdb.block.cache.bytes");
        assertThat(UpdaterConfig.of(Map.of("rocksdb.block.cache.bytes", String.valueOf(64L << 20),
                "rocksdb.write.buffer.bytes", String.valueOf(32L << 20))).rocksDbWriteBufferBytes()).isEqualTo(32L << 20);
    }

    /**
     * Readers of {@code model.item-factors} refuse trending times further ahead than twice the
     * largest skew (UsableItemFactors): a larger skew would let the item stage publish records its
     * own instances refuse.
     */
    @Test
    void theFutureSkewIsAtMostADay() {
        assertThat(UpdaterConfig.of(Map.of("validation.max.future.skew.ms", "86400000")).validation().maxFutureSkew())
                .isEqualTo(Duration.ofDays(1));
        assertThatThrownBy(() -> UpdaterConfig.of(Map.of("validation.max.future.skew.ms", "86400001")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("validation.max.future.skew.ms");
    }

    @Test
    void acceptedRatingsMustLieOnTheModelsScale() {
        assertThatThrownBy(() -> UpdaterConfig.of(Map.of("validation.rating.max", "10")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("validation.rating.max").hasMessageContaining("model.max.rating");
        assertThatThrownBy(() -> UpdaterConfig.of(Map.of("validation.rating.min", "0.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("validation.rating.min").hasMessageContaining("model.min.rating");
        // Narrower than the model's scale is fine, and so is a scale both sides agree on.
        assertThat(UpdaterConfig.of(Map.of("validation.rating.min", "2")).validation().ratingMin()).isEqualTo(2);
        assertThat(UpdaterConfig.of(Map.of("validation.rating.min", "0.1", "validation.rating.max", "10",
                "validation.rating.step", "0.1", "model.min.rating", "0.1", "model.max.rating", "10"))
                .model().maxRating()).isEqualTo(10f);
    }

    /**
     * The validator counts steps from validation.rating.min: with 1-5 and a step of 0.3 a rating
     * of 5 was dead-lettered as RATING_OUT_OF_RANGE, and with a step of 3 every rating but 1 and 4.
     */
    @Test
    void theRatingStepMustReachTheMaximumFromTheMinimum() {
        for (final String step : List.of("0.3", "3", "1.5")) {
            assertThatThrownBy(() -> UpdaterConfig.of(Map.of("validation.rating.step", step)))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("validation.rating.step")
                    .hasMessageContaining("validation.rating.max");
        }
        for (final String step : List.of("0", "0.5", "1", "0.25", "4", "0.1")) {
            assertThat(UpdaterConfig.of(Map.of("validation.rating.step", step)).validation().ratingStep())
                    .isEqualTo(Double.parseDouble(step));
        }
        // Decimal steps that binary floating point cannot hold exactly still count as whole.
        assertThat(UpdaterConfig.of(Map.of("validation.rating.min", "0.1", "validation.rating.max", "0.7",
                "validation.rating.step", "0.2", "model.min.rating", "0.1")).validation().ratingStep()).isEqualTo(0.2);
    }

    @Test
    void itemFactorsArePublishedAtEveryCommitByDefaultOrAtAnInterval() {
        assertThat(UpdaterConfig.of(Map.of()).itemFactorsPublishInterval()).isZero();
        assertThat(UpdaterConfig.of(Map.of("item.factors.publish.interval.ms", "1000")).itemFactorsPublishInterval())
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void atLeastOnceIsSelectable() {
        assertThat(UpdaterConfig.of(Map.of("processing.guarantee", "at_least_once")).processingGuarantee())
                .isEqualTo(StreamsConfig.AT_LEAST_ONCE);
        // At least once a written record is visible at once: no lingering for the commit.
        assertThat(UpdaterConfig.of(Map.of("processing.guarantee", "at_least_once")).streamsProperties()
                .get(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG))).isEqualTo(UpdaterConfig.AT_LEAST_ONCE_LINGER_MS);
    }

    @Test
    void environmentVariablesSetPassThroughKeysTheDefaultsDoNotName(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("updater.properties");
        Files.writeString(file, "kafka.security.protocol=SASL_SSL\n");
        final Map<String, String> env = Map.of(
                "STREAMREC_KAFKA_NUM_STREAM_THREADS", "4",
                "STREAMREC_KAFKA_SECURITY_PROTOCOL", "SSL",                 // a prefixed key of the file
                "STREAMREC_SERDE_BASIC_AUTH_USER_INFO", "user:secret",
                "STREAMREC_SERVICE_PORT", "tcp://10.0.0.1:80");             // not ours (Kubernetes): ignored

        final UpdaterConfig config = UpdaterConfig.from(Settings.load(UpdaterConfig.DEFAULTS, file, env));

        assertThat(config.streamsProperties().get("num.stream.threads")).isEqualTo("4");
        assertThat(config.streamsProperties().get("security.protocol")).isEqualTo("SSL");
        assertThat(config.serdeConfig()).containsEntry("basic.auth.user.info", "user:secret");
        assertThat(config.settings().asMap()).doesNotContainKey("service.port");
    }

    @Test
    void unknownKeysStopTheStartWithTheirNames(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("updater.properties");
        Files.writeString(file, "htpp.port=8080\nrecommendations.sise=30\nkafka.anything.goes=1\nserde.too=2\n");
        assertThatThrownBy(() -> Settings.load(UpdaterConfig.DEFAULTS, file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("htpp.port").hasMessageContaining("recommendations.sise")
                .hasMessageContaining(file.toString())
                .hasMessageNotContaining("kafka.anything.goes").hasMessageNotContaining("serde.too");
        assertThatThrownBy(() -> UpdaterConfig.of(Map.of("recommendations.sise", "30")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("recommendations.sise");
    }

    @Test
    void environmentVariableNamesFollowTheKey() {
        assertThat(Settings.keyOfEnvName("STREAMREC_KAFKA_NUM_STREAM_THREADS")).isEqualTo("kafka.num.stream.threads");
        assertThat(Settings.envName("validation.max.future.skew.ms")).isEqualTo("STREAMREC_VALIDATION_MAX_FUTURE_SKEW_MS");
    }
}
