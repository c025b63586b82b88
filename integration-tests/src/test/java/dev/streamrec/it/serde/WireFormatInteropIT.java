package dev.streamrec.it.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.streamrec.it.infra.ItEnvironment;
import dev.streamrec.it.infra.TestKafka;
import dev.streamrec.it.infra.TestRegistry;
import dev.streamrec.it.infra.UniqueNames;
import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.serde.AvroDeserializer;
import dev.streamrec.serde.SpecificAvroSerde;

/**
 * Our serde against the wire format itself, with no code of ours on the other side: bytes it
 * writes are decoded by plain Avro with the schema fetched by id over plain HTTP, and bytes framed
 * by hand around a schema registered over plain HTTP are decoded by it. This is what lets
 * Confluent's serializers, or any other client of the format, share topics with our applications.
 */
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class WireFormatInteropIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final TestKafka kafka = ItEnvironment.kafka();
    private final TestRegistry registry = ItEnvironment.registry();

    @Test
    void bytesOurSerializerWritesDecodeWithPlainAvroAndTheSchemaFetchedById() throws IOException {
        final String topic = UniqueNames.unique("wire-out");
        kafka.createTopic(topic, 1, false);
        final ClickEvent click = SampleEvents.clicks().records().get(0);
        final SpecificAvroSerde<ClickEvent> serde = SpecificAvroSerde.of(ClickEvent.class, registry.serdeConfig(), false);

        kafka.produce(topic, new StringSerializer(), serde.serializer(), click.getUserId(), click);
        final byte[] bytes = kafka.consume(topic, new StringDeserializer(), new ByteArrayDeserializer(), 1, WAIT)
                .get(0).value();

        assertThat(bytes[0]).as("magic byte").isEqualTo((byte) 0);
        final int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        final Schema writer = new Schema.Parser().parse(registry.schemaById(id));
        assertThat(writer).isEqualTo(ClickEvent.getClassSchema());
        final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
        final GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
        assertThat(decoder.isEnd()).as("no bytes left after the record").isTrue();
        assertThat(decoded.get("eventId")).hasToString(click.getEventId());
        assertThat(decoded.get("userId")).hasToString(click.getUserId());
        assertThat(decoded.get("itemId")).hasToString(click.getItemId());
        // Plain GenericData has no logical-type conversions: the raw long of timestamp-millis.
        assertThat(decoded.get("eventTime")).isEqualTo(click.getEventTime().toEpochMilli());
        assertThat(decoded.get("sessionId")).hasToString(click.getSessionId());
    }

    @Test
    void handFramedBytesAroundASchemaRegisteredOverHttpDecodeWithOurDeserializer() throws IOException {
        final String topic = UniqueNames.unique("wire-in");
        kafka.createTopic(topic, 1, false);
        final Schema schema = ClickEvent.getClassSchema();
        final int id = registry.register(topic + "-value", schema.toString());
        final GenericRecord record = new GenericData.Record(schema);
        record.put("eventId", "hand-1");
        record.put("userId", "user-7");
        record.put("itemId", "item-9");
        record.put("eventTime", 1_767_000_000_123L);
        record.put("sessionId", null);

        final byte[] framed = frame(id, schema, record);
        kafka.produce(topic, new StringSerializer(), new ByteArraySerializer(), "user-7", framed);

        final SpecificAvroSerde<ClickEvent> serde = SpecificAvroSerde.of(ClickEvent.class, registry.serdeConfig(), false);
        final List<ConsumerRecord<String, ClickEvent>> specific =
                kafka.consume(topic, new StringDeserializer(), serde.deserializer(), 1, WAIT);
        assertThat(specific.get(0).value()).isEqualTo(ClickEvent.newBuilder()
                .setEventId("hand-1").setUserId("user-7").setItemId("item-9")
                .setEventTime(java.time.Instant.ofEpochMilli(1_767_000_000_123L)).setSessionId(null).build());

        final AvroDeserializer generic = new AvroDeserializer();
        generic.configure(registry.serdeConfig(), false);
        final Object read = kafka.consume(topic, new StringDeserializer(), generic, 1, WAIT).get(0).value();
        assertThat(read).isInstanceOf(GenericRecord.class);
        assertThat(((GenericRecord) read).get("eventId")).hasToString("hand-1");
        assertThat(((GenericRecord) read).get("eventTime")).isEqualTo(1_767_000_000_123L);
    }

    /** Confluent's framing, written out by hand: magic 0, 4-byte big-endian id, Avro binary. */
    private static byte[] frame(final int schemaId, final Schema schema, final GenericRecord record) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
