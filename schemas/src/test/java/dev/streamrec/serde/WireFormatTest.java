package dev.streamrec.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.ItemUpdate;
import dev.streamrec.schemas.RecommendedItem;
import dev.streamrec.schemas.Recommendations;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    private static ClickEvent click() {
        return ClickEvent.newBuilder().setEventId("e-1").setUserId("u-1").setItemId("i-1")
                .setEventTime(java.time.Instant.ofEpochMilli(1_700_000_000_000L)).build();
    }

    @Test
    void serializedBytesAreMagicByteThenBigEndianIdThenPlainAvroBinary() throws Exception {
        final String scope = "wire-" + UUID.randomUUID();
        // Occupy ids 1..257 first so the id under test has more than one non-zero byte.
        final InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);
        for (int i = 0; i < 257; i++) {
            registry.register("filler-" + i, org.apache.avro.SchemaBuilder.record("R" + i).fields().endRecord());
        }
        final AvroSerializer serializer = new AvroSerializer();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope), false);

        final byte[] bytes = serializer.serialize("events.clicks", click());

        final int id = registry.idOf("events.clicks-value", ClickEvent.getClassSchema());
        assertThat(id).isEqualTo(258);
        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(Arrays.copyOfRange(bytes, 1, 5)).containsExactly(0, 0, 1, 2); // 258 = 0x00000102
        final ByteArrayOutputStream plain = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(plain, null);
        new SpecificDatumWriter<>(ClickEvent.class).write(click(), encoder);
        encoder.flush();
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plain.toByteArray());
        assertThat(WireFormat.schemaId(bytes)).isEqualTo(258);
    }

    @Test
    void roundTripThroughSpecificSerde() {
        final SpecificAvroSerde<ClickEvent> serde = SpecificAvroSerde.of(ClickEvent.class,
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://roundtrip-" + UUID.randomUUID()), false);
        final byte[] bytes = serde.serializer().serialize("t", click());
        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(click());
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void recordsWithCustomCodersEncodeToTheSameBytesAsAvrosSchemaWalkAndReadBack() throws Exception {
        // ItemUpdate and the RecommendedItems of a list have generated coders; the serde uses them.
        final Recommendations list = Recommendations.newBuilder().setUserId("u-1").setStrategy("mf").setModelVersion(3)
                .setGeneratedAt(java.time.Instant.ofEpochMilli(1_700_000_000_000L))
                .setTriggerIngestTime(java.time.Instant.ofEpochMilli(1_699_999_999_000L))
                .setItems(java.util.List.of(
                        RecommendedItem.newBuilder().setItemId("i-1").setScore(2.5).setReason("because").build(),
                        RecommendedItem.newBuilder().setItemId("i-2").setScore(-1.25).setReason("trending").build()))
                .build();
        final ItemUpdate update = ItemUpdate.newBuilder().setItemId("i-9").setKind(dev.streamrec.schemas.StepKind.INTERACTION)
                .setUserFactors(java.util.List.of(0.5f, -0.25f, 1e-3f)).setGradientScale(0.125f).setPositive(true)
                .setSourceEventId("e-1").setReadVersion(7).build();
        final SpecificAvroSerde<Recommendations> lists = SpecificAvroSerde.of(Recommendations.class,
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://coders-" + UUID.randomUUID()), false);
        final SpecificAvroSerde<ItemUpdate> updates = SpecificAvroSerde.of(ItemUpdate.class,
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://coders-" + UUID.randomUUID()), false);

        final byte[] listBytes = lists.serializer().serialize("t", list);
        final byte[] updateBytes = updates.serializer().serialize("t", update);

        assertThat(Arrays.copyOfRange(listBytes, 5, listBytes.length)).isEqualTo(schemaWalk(list));
        assertThat(Arrays.copyOfRange(updateBytes, 5, updateBytes.length)).isEqualTo(schemaWalk(update));
        assertThat(lists.deserializer().deserialize("t", listBytes)).isEqualTo(list);
        assertThat(updates.deserializer().deserialize("t", updateBytes)).isEqualTo(update);
    }

    /** Avro's reflective encoding, custom coders off (the library's default). */
    private static byte[] schemaWalk(final org.apache.avro.specific.SpecificRecordBase record) throws Exception {
        final ByteArrayOutputStream plain = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(plain, null);
        final org.apache.avro.specific.SpecificData model = new org.apache.avro.specific.SpecificData();
        model.setCustomCoders(false);
        new SpecificDatumWriter<>(record.getSchema(), model).write(record, encoder);
        encoder.flush();
        return plain.toByteArray();
    }

    @Test
    void rejectsShortPayloadsAndUnknownMagicBytes() {
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("3 bytes");
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {7, 0, 0, 0, 1, 2}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte 7");
    }

    @Test
    void specificReaderWithoutAGeneratedClassIsASerializationExceptionNamingTheRecord() {
        final String url = "mock://nogenerated-" + UUID.randomUUID();
        final org.apache.avro.Schema schema = org.apache.avro.SchemaBuilder.record("NotGenerated").namespace("test")
                .fields().requiredString("id").endRecord();
        final org.apache.avro.generic.GenericRecord record = new org.apache.avro.generic.GenericData.Record(schema);
        record.put("id", "x");
        final AvroSerializer serializer = new AvroSerializer();
        serializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url), false);
        final AvroDeserializer deserializer = new AvroDeserializer();
        deserializer.configure(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, url, SerdeConfig.SPECIFIC_AVRO_READER, true), false);
        final byte[] bytes = serializer.serialize("t", record);

        assertThatThrownBy(() -> deserializer.deserialize("t", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("test.NotGenerated").hasMessageContaining("schema id " + WireFormat.schemaId(bytes));
    }

    @Test
    void corruptAvroBodyIsASerializationExceptionNamingTheTopic() {
        final SpecificAvroSerde<ClickEvent> serde = SpecificAvroSerde.of(ClickEvent.class,
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://corrupt-" + UUID.randomUUID()), false);
        final byte[] good = serde.serializer().serialize("t", click());
        final byte[] truncated = Arrays.copyOf(good, 8);
        assertThatThrownBy(() -> serde.deserializer().deserialize("t", truncated))
                .isInstanceOf(SerializationException.class).hasMessageContaining("topic t");
    }
}
