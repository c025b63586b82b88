package dev.streamrec.it.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.streamrec.it.infra.ItEnvironment;
import dev.streamrec.it.infra.TestKafka;
import dev.streamrec.it.infra.TestRegistry;
import dev.streamrec.it.infra.UniqueNames;
import dev.streamrec.serde.AvroDeserializer;
import dev.streamrec.serde.AvroSerializer;
import dev.streamrec.serde.SchemaRegistryClient;
import dev.streamrec.serde.SchemaRegistryClients;
import dev.streamrec.serde.SchemaRegistryException;
import dev.streamrec.serde.SerdeConfig;

/**
 * Schema evolution as the registry (BACKWARD, Confluent's default) and our serde enforce it: a
 * field added with a default is accepted and old and new data read under either schema; a field
 * added without one is refused by the registry, and the producer sees an exception that says
 * which subject, what HTTP status and which registry error code.
 */
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SchemaEvolutionIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static final Schema V1 = SchemaBuilder.record("Visit").namespace("dev.streamrec.it.evolution")
            .fields()
            .requiredString("userId")
            .requiredString("itemId")
            .endRecord();
    /** V1 plus a defaulted field: readers of either version can read writers of the other. */
    private static final Schema V2 = SchemaBuilder.record("Visit").namespace("dev.streamrec.it.evolution")
            .fields()
            .requiredString("userId")
            .requiredString("itemId")
            .name("weight").type().doubleType().doubleDefault(1.0)
            .endRecord();
    /** V1 plus a field without default: a reader of it cannot read V1 data, so BACKWARD refuses it. */
    private static final Schema V2_REQUIRED_FIELD = SchemaBuilder.record("Visit")
            .namespace("dev.streamrec.it.evolution")
            .fields()
            .requiredString("userId")
            .requiredString("itemId")
            .requiredLong("dwellMillis")
            .endRecord();

    private final TestKafka kafka = ItEnvironment.kafka();
    private final TestRegistry registry = ItEnvironment.registry();

    @Test
    void v1WriterAndV2ReaderWithADefaultedFieldInteroperateBothWays() {
        final String topic = UniqueNames.unique("evolution");
        kafka.createTopic(topic, 1, false);
        final GenericRecord old = visit(V1, "user-1", "item-1");
        final GenericRecord current = visit(V2, "user-2", "item-2");
        current.put("weight", 3.5);

        // Old producer first, then the upgraded one: the order a rolling upgrade produces.
        send(topic, List.of(old));
        send(topic, List.of(current));

        final List<ConsumerRecord<String, byte[]>> raw =
                kafka.consume(topic, new StringDeserializer(), new ByteArrayDeserializer(), 2, WAIT);
        final int v1Id = schemaId(raw.get(0).value());
        final int v2Id = schemaId(raw.get(1).value());
        assertThat(v2Id).as("each writer schema has its own id").isNotEqualTo(v1Id);
        assertThat(registry.send("GET", "/subjects/" + topic + "-value/versions", null).body())
                .as("both versions registered").hasSize(2);

        final List<GenericRecord> asV2 = readAs(topic, V2);
        assertThat(asV2).extracting(r -> r.get("itemId").toString()).containsExactly("item-1", "item-2");
        assertThat(asV2).extracting(r -> r.get("weight")).as("V1 data gets V2's default").containsExactly(1.0, 3.5);

        final List<GenericRecord> asV1 = readAs(topic, V1);
        assertThat(asV1).extracting(r -> r.get("itemId").toString()).containsExactly("item-1", "item-2");
        assertThat(asV1).allSatisfy(r -> assertThat(r.getSchema().getField("weight")).isNull());
    }

    @Test
    void requiredNewFieldIsRefusedByTheRegistryAndReportedWithSubjectStatusAndErrorCode() {
        final String topic = UniqueNames.unique("evolution-refused");
        final String subject = topic + "-value";
        kafka.createTopic(topic, 1, false);
        send(topic, List.of(visit(V1, "user-1", "item-1")));
        // What this registry answers to the same request over plain HTTP: Confluent's registry
        // says error_code 409, Apicurio 0; the serde must pass on whichever it gets.
        final TestRegistry.Response direct = registry.send("POST", "/compatibility/subjects/" + subject
                + "/versions/latest", JsonNodeFactory.instance.objectNode().put("schema", V2_REQUIRED_FIELD.toString()));
        assertThat(direct.body().path("is_compatible").asBoolean(true)).as("registry's own verdict: %s", direct.body())
                .isFalse();
        final TestRegistry.Response refusedOverHttp = registry.send("POST", "/subjects/" + subject + "/versions",
                JsonNodeFactory.instance.objectNode().put("schema", V2_REQUIRED_FIELD.toString()));
        assertThat(refusedOverHttp.status()).isEqualTo(409);
        final int registryErrorCode = refusedOverHttp.body().path("error_code").asInt();

        final GenericRecord incompatible = visit(V2_REQUIRED_FIELD, "user-2", "item-2");
        incompatible.put("dwellMillis", 1200L);
        try (KafkaProducer<String, Object> producer = kafka.newProducer(new StringSerializer(), serializer(), Map.of())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "user-2", incompatible)))
                    .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                        assertThat(e.subject()).isEqualTo(subject);
                        assertThat(e.httpStatus()).isEqualTo(409);
                        assertThat(e.errorCode()).isEqualTo(registryErrorCode);
                        assertThat(e.getMessage()).contains(subject, "status=409", "error_code=" + registryErrorCode);
                    });
        }
        assertThat(registry.send("GET", "/subjects/" + subject + "/versions", null).body())
                .as("nothing new registered").hasSize(1);
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaIsReportedAsNotFound() {
        final String topic = UniqueNames.unique("evolution-unregistered");
        final String subject = topic + "-value";
        final AvroSerializer lookupOnly = new AvroSerializer();
        lookupOnly.configure(Map.of("schema.registry.url", registry.url(), "auto.register.schemas", "false"), false);
        final int expectedCode = registry.send("POST", "/subjects/" + subject,
                JsonNodeFactory.instance.objectNode().put("schema", V1.toString())).body().path("error_code").asInt();

        assertThatThrownBy(() -> lookupOnly.serialize(topic, visit(V1, "user-1", "item-1")))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.subject()).isEqualTo(subject);
                    assertThat(e.httpStatus()).isEqualTo(404);
                    // Confluent's "subject not found"; both registries use it here.
                    assertThat(e.errorCode()).isEqualTo(expectedCode).isEqualTo(40401);
                });
    }

    private void send(final String topic, final List<GenericRecord> records) {
        kafka.produce(new StringSerializer(), serializer(), records.stream()
                .map(r -> new ProducerRecord<String, Object>(topic, r.get("userId").toString(), r))
                .toList());
    }

    /** A fresh serializer per producer, as separate applications (old and new) would have. */
    private AvroSerializer serializer() {
        final AvroSerializer serializer = new AvroSerializer();
        serializer.configure(registry.serdeConfig(), false);
        return serializer;
    }

    private List<GenericRecord> readAs(final String topic, final Schema reader) {
        final SchemaRegistryClient client = SchemaRegistryClients.create(SerdeConfig.from(registry.serdeConfig()));
        final AvroDeserializer deserializer = new AvroDeserializer(client, reader, false);
        return kafka.consume(topic, new StringDeserializer(), deserializer, 2, WAIT).stream()
                .map(r -> (GenericRecord) r.value())
                .toList();
    }

    private static GenericRecord visit(final Schema schema, final String userId, final String itemId) {
        final GenericRecord record = new GenericData.Record(schema);
        record.put("userId", userId);
        record.put("itemId", itemId);
        return record;
    }

    private static int schemaId(final byte[] framed) {
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }
}
