package dev.streamrec.it.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared broker does what the applications rely on: keyed produce and consume, compacted
 * topics, and transactions (a broker without a working transaction coordinator makes every
 * exactly_once_v2 app hang at start, silently).
 */
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BrokerIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final TestKafka kafka = ItEnvironment.kafka();

    @Test
    void recordsWithTheSameKeyLandInOnePartitionInOrder() {
        final String topic = UniqueNames.unique("broker-roundtrip");
        kafka.createTopic(topic, 3, false);
        final List<ProducerRecord<String, String>> sent = IntStream.range(0, 30)
                .mapToObj(i -> new ProducerRecord<>(topic, "user-" + (i % 3), "event-" + i))
                .toList();

        kafka.produce(new StringSerializer(), new StringSerializer(), sent);
        final List<ConsumerRecord<String, String>> read =
                kafka.consume(topic, new StringDeserializer(), new StringDeserializer(), 30, WAIT);

        assertThat(read).hasSize(30);
        for (final String user : List.of("user-0", "user-1", "user-2")) {
            final List<ConsumerRecord<String, String>> ofUser =
                    read.stream().filter(r -> r.key().equals(user)).toList();
            assertThat(ofUser).extracting(ConsumerRecord::partition).containsOnly(ofUser.get(0).partition());
            assertThat(ofUser).extracting(ConsumerRecord::value).isEqualTo(sent.stream()
                    .filter(r -> r.key().equals(user)).map(ProducerRecord::value).toList());
        }
    }

    @Test
    void compactedTopicIsCreatedWithCompactPolicy() throws Exception {
        final String topic = UniqueNames.unique("broker-compacted");
        kafka.createTopic(topic, 1, true);

        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        final var config = kafka.adminClient().describeConfigs(Set.of(resource)).all()
                .get(30, TimeUnit.SECONDS).get(resource);

        assertThat(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionsOnly() {
        final String topic = UniqueNames.unique("broker-tx");
        kafka.createTopic(topic, 1, false);

        try (KafkaProducer<String, String> producer = kafka.newProducer(new StringSerializer(),
                new StringSerializer(), Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, UniqueNames.unique("tx")))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed"));
            producer.commitTransaction();
        }

        // The committed record comes after the aborted one and its abort marker: reading it
        // proves the consumer went past both and returned nothing of the aborted transaction.
        final List<ConsumerRecord<String, String>> read = kafka.consumeUntil(topic, new StringDeserializer(),
                new StringDeserializer(), records -> records.stream().anyMatch(r -> r.value().equals("committed")),
                WAIT);

        assertThat(read).extracting(ConsumerRecord::value).containsExactly("committed");
    }

    @Test
    void exactlyOnceStreamsAppProcessesRecords() {
        final String input = UniqueNames.unique("broker-eos-in");
        final String output = UniqueNames.unique("broker-eos-out");
        kafka.createTopic(input, 2, false);
        kafka.createTopic(output, 2, false);
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(v -> v.toUpperCase(java.util.Locale.ROOT))
                .to(output, Produced.with(Serdes.String(), Serdes.String()));

        try (KafkaStreams streams = new KafkaStreams(builder.build(),
                kafka.streamsConfig(UniqueNames.unique("broker-eos-app")))) {
            streams.start();
            kafka.produce(new StringSerializer(), new StringSerializer(), List.of(
                    new ProducerRecord<>(input, "a", "one"), new ProducerRecord<>(input, "b", "two")));

            final List<ConsumerRecord<String, String>> read =
                    kafka.consume(output, new StringDeserializer(), new StringDeserializer(), 2, WAIT);

            assertThat(read).extracting(ConsumerRecord::value).containsExactlyInAnyOrder("ONE", "TWO");
        }
    }
}
