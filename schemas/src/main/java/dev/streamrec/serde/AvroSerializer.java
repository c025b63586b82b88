package dev.streamrec.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated {@link SpecificRecord}s or {@code GenericRecord}s) in Confluent's
 * wire format ({@link WireFormat}), registering or looking up the writer schema under
 * {@code <topic>-value} or {@code <topic>-key} (Confluent's TopicNameStrategy).
 *
 * <p>Thread-safe after {@link #configure}: Kafka producers call one serializer from many threads.
 * The hot path after the first record of a schema is: one cache hit for the id, one for the datum
 * writer, and the Avro encoding itself.
 */
public class AvroSerializer implements Serializer<Object> {
    private static final ThreadLocal<BinaryEncoder> ENCODERS = new ThreadLocal<>();

    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    /**
     * Ids by topic, then schema: the same schema must still be registered (or looked up) under each
     * topic's own subject, which a cache by schema alone would skip for every topic after the first.
     * Keyed by topic, not subject, so a hit builds no subject string (the suffix is fixed per instance).
     */
    private final Map<String, Map<Schema, Integer>> idsByTopic = new ConcurrentHashMap<>();
    private SchemaRegistryClient registry;
    private boolean autoRegister;
    private String subjectSuffix;

    /** For Kafka's reflective construction; call {@link #configure} before use. */
    public AvroSerializer() {
    }

    /** For code that builds its own client (tests counting registry calls). */
    public AvroSerializer(final SchemaRegistryClient registry, final boolean autoRegister, final boolean isKey) {
        this.registry = registry;
        this.autoRegister = autoRegister;
        this.subjectSuffix = isKey ? "-key" : "-value";
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        final SerdeConfig config = SerdeConfig.from(configs);
        this.registry = SchemaRegistryClients.forConfig(config);
        this.autoRegister = config.autoRegisterSchemas();
        this.subjectSuffix = isKey ? "-key" : "-value";
    }

    @Override
    public byte[] serialize(final String topic, final Object data) {
        if (data == null) {
            return null; // a tombstone stays a tombstone
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        if (!(data instanceof GenericContainer container)) {
            throw new SerializationException("AvroSerializer writes Avro records only, got " + data.getClass().getName());
        }
        final Schema schema = container.getSchema();
        final int id = schemaId(topic, schema);
        final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(WireFormat.MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        try {
            final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, ENCODERS.get());
            ENCODERS.set(encoder);
            writers.computeIfAbsent(schema, AvroSerializer::writerFor).write(data, encoder);
            encoder.flush();
        } catch (final IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode " + schema.getFullName() + " for topic " + topic, e);
        }
        return out.toByteArray();
    }

    private int schemaId(final String topic, final Schema schema) {
        final Map<Schema, Integer> ids = idsByTopic.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
        final Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        final String subject = topic + subjectSuffix;
        final int id = autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema);
        ids.put(schema, id);
        return id;
    }

    @SuppressWarnings("unchecked")
    private static DatumWriter<Object> writerFor(final Schema schema) {
        // SpecificDatumWriter also writes GenericRecords; it only adds support for generated classes.
        return (DatumWriter<Object>) (DatumWriter<?>) new SpecificDatumWriter<>(schema, CustomCoders.MODEL);
    }
}
