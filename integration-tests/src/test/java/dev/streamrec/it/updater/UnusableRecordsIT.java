package dev.streamrec.it.updater;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.it.infra.Await;
import dev.streamrec.it.infra.ItEnvironment;
import dev.streamrec.it.infra.TestKafka;
import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.updater.ProfileUpdaterApp;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.errors.DeadLetters;
import dev.streamrec.updater.topology.Names;
import dev.streamrec.updater.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records the profile-updater cannot use, on a real broker and registry: what Kafka Streams does
 * with them outside {@code TopologyTestDriver} (which runs global stores and the producer
 * differently) decides whether one bad record stops the instance.
 */
class UnusableRecordsIT {
    private static final Duration DEADLINE = Duration.ofMinutes(2);
    private static final byte[] NOT_AVRO = "{\"itemId\":\"broken\"}".getBytes(StandardCharsets.UTF_8);

    /** An application started with every state it goes through recorded. */
    private record Running(KafkaStreams streams, List<KafkaStreams.State> states) implements AutoCloseable {
        static Running start(final UpdaterConfig config) {
            final List<KafkaStreams.State> states = Collections.synchronizedList(new ArrayList<>());
            final KafkaStreams streams = ProfileUpdaterApp.start(config, (newState, oldState) -> states.add(newState));
            final Running running = new Running(streams, states);
            running.awaitState(KafkaStreams.State.RUNNING);
            return running;
        }

        void awaitState(final KafkaStreams.State wanted) {
            Await.until(DEADLINE, () -> {
                assertStillAlive();
                return streams.state() == wanted;
            }, () -> "state " + wanted + "; went through " + states);
        }

        /** Fails at once, rather than at a deadline, when the instance has given up. */
        void assertStillAlive() {
            assertThat(states).as("states of the instance").doesNotContain(KafkaStreams.State.PENDING_ERROR,
                    KafkaStreams.State.ERROR);
        }

        @Override
        public void close() {
            streams.close(Duration.ofSeconds(30));
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void anUndecodableCatalogRecordIsSkippedWhileRunningAndWhenTheCatalogIsRestored() {
        final TestKafka kafka = ItEnvironment.kafka();
        final Map<String, String> settings = UpdaterApps.isolatedSettings(1, Map.of());
        final UpdaterConfig config = UpdaterConfig.of(settings);
        final Topics topics = new Topics(config);

        try (Running app = Running.start(config)) {
            produceItem(kafka, topics, "before", "books");
            kafka.produce(topics.catalog.name(), new StringSerializer(), new ByteArraySerializer(), "broken", NOT_AVRO);
            produceItem(kafka, topics, "after", "garden");

            awaitInCatalogStore(app, "after");
            produceClick(kafka, topics, "u-running", "after");
            assertThat(awaitProfile(kafka, topics, "u-running").getCategoryAffinities())
                    .anySatisfy(affinity -> assertThat(affinity.getCategory()).isEqualTo("garden"));
            app.assertStillAlive();
        }

        // A new instance (empty state directory) restores the catalogue from the topic, the
        // undecodable record included, before it runs: the path every restart took after a crash.
        final Map<String, String> replacement = new HashMap<>(settings);
        replacement.put("state.dir", settings.get("state.dir") + "-replacement");
        try (Running app = Running.start(UpdaterConfig.of(replacement))) {
            awaitInCatalogStore(app, "after");
            produceClick(kafka, topics, "u-restored", "after");
            assertThat(awaitProfile(kafka, topics, "u-restored").getCategoryAffinities())
                    .anySatisfy(affinity -> assertThat(affinity.getCategory()).isEqualTo("garden"));
            app.assertStillAlive();
        }

        // A global topic's record has no dead-letter path in Kafka Streams; it is only logged.
        assertThat(kafka.consumeToEnd(config.topics().dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer(),
                DEADLINE)).isEmpty();
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void anUndecodableEventTooLargeToDeadLetterWholeIsDeadLetteredWithoutItsValueAndItsPartitionGoesOn() throws Exception {
        final TestKafka kafka = ItEnvironment.kafka();
        final UpdaterConfig config = UpdaterApps.isolatedConfig(1, Map.of());
        final Topics topics = new Topics(config);
        // 1.5 MB that compress to almost nothing: the broker takes the compressed batch, while
        // the updater's producer checks a letter's uncompressed size against max.request.size (1 MiB).
        final byte[] oversized = new byte[1_500_000];
        oversized[0] = '{';

        try (Running app = Running.start(config)) {
            try (KafkaProducer<byte[], byte[]> producer = kafka.newProducer(new ByteArraySerializer(),
                    new ByteArraySerializer(), Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4_000_000,
                            ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"))) {
                producer.send(new ProducerRecord<>(topics.clicks.name(), "u-big".getBytes(StandardCharsets.UTF_8),
                        oversized)).get();
            }
            produceClick(kafka, topics, "u-after", "any-item");

            final List<ConsumerRecord<String, UserProfile>> profiles = kafka.consumeUntil(topics.profiles.name(),
                    new StringDeserializer(), topics.profiles.valueSerde().deserializer(), records -> {
                        app.assertStillAlive();
                        return records.stream().anyMatch(r -> "u-after".equals(r.key()));
                    }, DEADLINE);
            assertThat(profiles).extracting(ConsumerRecord::key).containsOnly("u-after");

            final List<ConsumerRecord<byte[], byte[]>> letters = kafka.consume(config.topics().dlq(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer(), 1, DEADLINE);
            assertThat(letters).hasSize(1);
            final ConsumerRecord<byte[], byte[]> letter = letters.get(0);
            assertThat(letter.key()).isEqualTo("u-big".getBytes(StandardCharsets.UTF_8));
            assertThat(letter.value()).isNull();
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).isEqualTo("CORRUPT_RECORD");
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.DROPPED_VALUE_SIZE)).isEqualTo("1500000");
            assertThat(DeadLetters.header(letter.headers(), DeadLetters.OFFSET)).isEqualTo("0");
            app.assertStillAlive();
        }
    }

    private static void produceItem(final TestKafka kafka, final Topics topics, final String itemId, final String category) {
        kafka.produce(topics.catalog.name(), new StringSerializer(), topics.catalog.valueSerde().serializer(), itemId,
                Item.newBuilder().setItemId(itemId).setCategories(List.of(category)).setPrice(1.0).build());
    }

    private static void produceClick(final TestKafka kafka, final Topics topics, final String userId, final String itemId) {
        kafka.produce(topics.clicks.name(), new StringSerializer(), topics.clicks.valueSerde().serializer(), userId,
                ClickEvent.newBuilder().setEventId("e-" + userId).setUserId(userId).setItemId(itemId)
                        .setEventTime(Instant.now()).build());
    }

    /** Waits until the instance's global catalogue store holds {@code itemId}: the global thread got past what came before. */
    private static void awaitInCatalogStore(final Running app, final String itemId) {
        Await.until(DEADLINE, () -> {
            app.assertStillAlive();
            final ReadOnlyKeyValueStore<String, Item> catalog = app.streams().store(
                    StoreQueryParameters.fromNameAndType(Names.CATALOG_STORE, QueryableStoreTypes.keyValueStore()));
            return catalog.get(itemId) != null;
        }, () -> itemId + " in " + Names.CATALOG_STORE + "; states " + app.states());
    }

    private static UserProfile awaitProfile(final TestKafka kafka, final Topics topics, final String userId) {
        final List<ConsumerRecord<String, UserProfile>> read = kafka.consumeUntil(topics.profiles.name(),
                new StringDeserializer(), topics.profiles.valueSerde().deserializer(),
                records -> records.stream().anyMatch(r -> userId.equals(r.key())), DEADLINE);
        return read.stream().filter(r -> userId.equals(r.key())).reduce((first, second) -> second).orElseThrow().value();
    }
}
