package dev.streamrec.serde;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka {@link Serde} for one generated Avro class in Confluent's wire format: the type Kafka
 * Streams topologies use. Reads always resolve into {@code type}'s schema, whatever compatible
 * schema the producer wrote with.
 */
public final class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final Class<T> type;
    private final Schema readerSchema;
    private AvroSerializer serializer;
    private AvroDeserializer deserializer;

    public SpecificAvroSerde(final Class<T> type) {
        this.type = type;
        this.readerSchema = SpecificData.get().getSchema(type);
    }

    /** A configured serde in one call: {@code SpecificAvroSerde.of(Item.class, config, false)}. */
    public static <T extends SpecificRecord> SpecificAvroSerde<T> of(final Class<T> type, final Map<String, ?> configs,
                                                                     final boolean isKey) {
        final SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(configs, isKey);
        return serde;
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        final Map<String, Object> withSpecific = new HashMap<>(configs);
        withSpecific.put(SerdeConfig.SPECIFIC_AVRO_READER, true);
        final SerdeConfig config = SerdeConfig.from(withSpecific);
        final SchemaRegistryClient registry = SchemaRegistryClients.forConfig(config);
        this.serializer = new AvroSerializer(registry, config.autoRegisterSchemas(), isKey);
        this.deserializer = new AvroDeserializer(registry, readerSchema, true);
    }

    @Override
    public Serializer<T> serializer() {
        requireConfigured();
        final AvroSerializer inner = serializer;
        return (topic, data) -> inner.serialize(topic, data);
    }

    @Override
    public Deserializer<T> deserializer() {
        requireConfigured();
        final AvroDeserializer inner = deserializer;
        return (topic, data) -> type.cast(inner.deserialize(topic, data));
    }

    private void requireConfigured() {
        if (serializer == null) {
            throw new IllegalStateException("SpecificAvroSerde<" + type.getSimpleName() + "> used before configure()");
        }
    }
}
