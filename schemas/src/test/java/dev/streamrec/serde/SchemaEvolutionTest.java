package dev.streamrec.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
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
}
