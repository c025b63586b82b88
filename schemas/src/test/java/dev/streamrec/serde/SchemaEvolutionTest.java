package dev.streamrec.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.schemas.ItemFactors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/** Writer-to-reader schema resolution and the mock registry's BACKWARD check. */
class SchemaEvolutionTest {
    private static final Schema V1 = SchemaBuilder.record("Thing").namespace("test").fields()
            .requiredString("id").endRecord();
    private static final Schema V2 = SchemaBuilder.record("Thing").namespace("test").fields()
            .requiredString("id").name("colour").type().stringType().stringDefault("blue").endRecord();
    private static final Schema V2_INCOMPATIBLE = SchemaBuilder.record("Thing").namespace("test").fields()
            .requiredString("id").requiredInt("size").endRecord();

    @Test
    void v1WrittenDataReadsWithV2ReaderUsingTheDefault() {
        final InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope("evo-" + UUID.randomUUID());
        final AvroSerializer writer = new AvroSerializer(new CachingSchemaRegistryClient(registry), true, false);
        final AvroDeserializer reader = new AvroDeserializer(new CachingSchemaRegistryClient(registry), V2, false);
        final GenericRecord v1 = new GenericData.Record(V1);
        v1.put("id", "x");

        final Object read = reader.deserialize("things", writer.serialize("things", v1));

        assertThat(read).isInstanceOf(GenericRecord.class);
        assertThat(((GenericRecord) read).get("id").toString()).isEqualTo("x");
        assertThat(((GenericRecord) read).get("colour").toString()).isEqualTo("blue");
    }

    @Test
    void mockRegistryRejectsABackwardIncompatibleSchema() {
        final InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope("evo-" + UUID.randomUUID());
        registry.register("things-value", V1);
        assertThat(registry.register("things-value", V2)).isPositive();
        assertThatThrownBy(() -> registry.register("things-value", V2_INCOMPATIBLE))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.httpStatus()).isEqualTo(409));
    }

    @Test
    void olderWriterWithoutATimestampFieldReadsIntoTheGeneratedClassWithItsDefault() throws IOException {
        // ItemFactors as a writer from before updatedAt (timestamp-millis, default 0) existed, and so
        // before the trending count added after it.
        final Schema current = ItemFactors.getClassSchema();
        final Set<String> later = Set.of("updatedAt", "trendingScore", "trendingAt");
        final Schema older = Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false,
                current.getFields().stream().filter(f -> !later.contains(f.name()))
                        .map(f -> new Schema.Field(f, f.schema())).toList());
        final GenericRecord written = new GenericData.Record(older);
        written.put("itemId", "i-1");
        written.put("factors", List.of(0.5f, -0.25f));
        written.put("bias", 0.1f);
        written.put("interactionBias", 0.2f);
        written.put("ratingCount", 3L);
        written.put("positiveCount", 4L);
        written.put("version", 5L);
        written.put("updateCount", 6L);
        final String scope = "evo-ts-" + UUID.randomUUID();
        final int id = InMemorySchemaRegistry.forScope(scope).register("factors-value", older);
        final byte[] body = avroBinary(written, older);
        final byte[] framed = new byte[WireFormat.HEADER_SIZE + body.length];
        WireFormat.writeHeader(framed, id);
        System.arraycopy(body, 0, framed, WireFormat.HEADER_SIZE, body.length);
        final SpecificAvroSerde<ItemFactors> serde = SpecificAvroSerde.of(ItemFactors.class,
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope), false);

        final ItemFactors read = serde.deserializer().deserialize("factors", framed);

        assertThat(read.getUpdatedAt()).isEqualTo(Instant.EPOCH);
        assertThat(read.getTrendingScore()).as("no trending contribution").isZero();
        assertThat(read.getTrendingAt()).isEqualTo(Instant.EPOCH);
        assertThat(read.getVersion()).isEqualTo(5L);
        // What plain Avro makes of the same bytes: the serde must agree with it.
        final ItemFactors plain = new SpecificDatumReader<ItemFactors>(older, current)
                .read(null, DecoderFactory.get().binaryDecoder(body, null));
        assertThat(read).isEqualTo(plain);
    }

    @Test
    void serdesConfiguredAfterDroppingAScopeUseTheScopesNewRegistry() {
        final String scope = "drop-" + UUID.randomUUID();
        final Map<String, Object> config = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope);
        final GenericRecord v1 = new GenericData.Record(V1);
        v1.put("id", "x");
        final AvroSerializer before = new AvroSerializer();
        before.configure(config, false);
        before.serialize("things", v1);

        InMemorySchemaRegistry.dropScope(scope);
        final AvroSerializer after = new AvroSerializer();
        after.configure(config, false);
        final byte[] bytes = after.serialize("things", v1);

        assertThat(InMemorySchemaRegistry.forScope(scope).idOf("things-value", V1)).isEqualTo(WireFormat.schemaId(bytes));
        InMemorySchemaRegistry.dropScope(scope);
    }

    private static byte[] avroBinary(final GenericRecord record, final Schema schema) throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
