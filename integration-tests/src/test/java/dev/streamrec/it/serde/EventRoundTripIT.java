package dev.streamrec.it.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.streamrec.it.infra.ItEnvironment;
import dev.streamrec.it.infra.TestKafka;
import dev.streamrec.it.infra.TestRegistry;
import dev.streamrec.it.infra.UniqueNames;
import dev.streamrec.serde.AvroDeserializer;
import dev.streamrec.serde.AvroSerializer;
import dev.streamrec.serde.SpecificAvroSerde;

/**
 * Every input type crosses a real broker through our serde, registered in a real registry, in the
 * two ways applications configure it: a {@link SpecificAvroSerde} instance (Kafka Streams) and
 * class names in client properties (plain producers and consumers, constructed reflectively).
 */
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EventRoundTripIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestKafka kafka = ItEnvironment.kafka();
    private final TestRegistry registry = ItEnvironment.registry();

    static Stream<SampleEvents.Sample<?>> samples() {
        return SampleEvents.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T extends SpecificRecord> void specificSerdeRoundTripsThroughATopic(final SampleEvents.Sample<T> sample) {
        final String topic = UniqueNames.unique("serde-" + sample.type().getSimpleName());
        kafka.createTopic(topic, 2, false);
        final SpecificAvroSerde<T> serde = SpecificAvroSerde.of(sample.type(), registry.serdeConfig(), false);

        kafka.produce(new StringSerializer(), serde.serializer(), records(topic, sample));
        final List<ConsumerRecord<String, T>> read = kafka.consume(topic, new StringDeserializer(),
                serde.deserializer(), sample.records().size(), WAIT);

        assertThat(read).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(sample.records());
        assertThat(read).allSatisfy(r -> assertThat(r.key()).isEqualTo(sample.key().apply(r.value())));
        assertThat(registeredVersions(topic + "-value")).containsExactly(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    <T extends SpecificRecord> void serializerAndDeserializerConfiguredByClassNameRoundTrip(
            final SampleEvents.Sample<T> sample) {
        final String topic = UniqueNames.unique("serde-reflective-" + sample.type().getSimpleName());
        kafka.createTopic(topic, 1, false);
        final Map<String, Object> producerConfig = new HashMap<>(kafka.producerConfig());
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class.getName());
        producerConfig.put("schema.registry.url", registry.url());

        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(producerConfig)) {
            for (final T record : sample.records()) {
                producer.send(new ProducerRecord<>(topic, sample.key().apply(record), record));
            }
            producer.flush();
        }
        // What KafkaConsumer does with value.deserializer=<class name>: no-arg constructor, then
        // configure() with the consumer's properties.
        final AvroDeserializer deserializer = new AvroDeserializer();
        deserializer.configure(Map.of("schema.registry.url", registry.url(), "specific.avro.reader", "true"), false);
        final List<ConsumerRecord<String, Object>> read = kafka.consume(topic, new StringDeserializer(),
                deserializer, sample.records().size(), WAIT);

        // One partition: the order is the send order.
        assertThat(read).extracting(ConsumerRecord::value)
                .allSatisfy(v -> assertThat(v).isInstanceOf(sample.type()))
                .containsExactlyElementsOf(sample.records());
    }

    private static <T extends SpecificRecord> List<ProducerRecord<String, T>> records(
            final String topic, final SampleEvents.Sample<T> sample) {
        return sample.records().stream()
                .map(r -> new ProducerRecord<>(topic, sample.key().apply(r), r))
                .toList();
    }

    private List<Integer> registeredVersions(final String subject) {
        final TestRegistry.Response response = registry.send("GET", "/subjects/" + subject + "/versions", null);
        assertThat(response.status()).as("GET versions of %s: %s", subject, response.body()).isEqualTo(200);
        final List<Integer> versions = new java.util.ArrayList<>();
        response.body().forEach(v -> versions.add(v.asInt()));
        return versions;
    }
}
