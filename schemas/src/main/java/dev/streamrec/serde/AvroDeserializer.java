package dev.streamrec.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro: takes the schema id from the 5-byte header, fetches the writer
 * schema by id (cached), and resolves it against the reader schema (Avro specification, "Schema
 * Resolution"), so data written with an older or newer compatible schema reads correctly.
 *
 * <p>The reader schema is, in order: the target class given to the constructor; with
 * {@code specific.avro.reader=true}, the generated class named like the writer schema; otherwise
 * the writer schema itself (a {@code GenericRecord}). Thread-safe after {@link #configure}.
 */
public class AvroDeserializer implements Deserializer<Object> {
    private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();
    private final Schema targetSchema;
    private SchemaRegistryClient registry;
    private boolean specific;

    /** For Kafka's reflective construction; call {@link #configure} before use. */
    public AvroDeserializer() {
        this.targetSchema = null;
    }

    /**
     * Reads into {@code targetSchema} (a generated class's schema) whatever compatible schema wrote.
     */
    public AvroDeserializer(final SchemaRegistryClient registry, final Schema targetSchema, final boolean specific) {
        this.registry = registry;
        this.targetSchema = targetSchema;
        this.specific = specific;
    }

    @Override
    public void configure(final Map<String, ?> configs, final boolean isKey) {
        final SerdeConfig config = SerdeConfig.from(configs);
        this.registry = SchemaRegistryClients.forConfig(config);
        this.specific = specific || config.specificAvroReader();
    }

    @Override
    public Object deserialize(final String topic, final byte[] payload) {
        if (payload == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        final int id = WireFormat.schemaId(payload);
        final DatumReader<Object> reader;
        try {
            reader = readers.computeIfAbsent(id, this::readerFor);
        } catch (final SerializationException e) {
            throw e; // ours name the id; a SchemaRegistryException keeps its status for the error handlers
        } catch (final RuntimeException e) {
            throw new SerializationException("Cannot build a reader for schema id " + id + " from topic " + topic, e);
        }
        try {
            final BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(
                    payload, WireFormat.HEADER_SIZE, payload.length - WireFormat.HEADER_SIZE, DECODERS.get());
            DECODERS.set(decoder);
            return reader.read(null, decoder);
        } catch (final IOException | RuntimeException e) {
            throw new SerializationException("Cannot decode record of schema id " + id + " from topic " + topic, e);
        }
    }

    @SuppressWarnings("unchecked")
    private DatumReader<Object> readerFor(final int id) {
        final Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (final AvroRuntimeException e) {
            // A Confluent registry also holds Protobuf and JSON schemas, under the same ids.
            throw new SerializationException("Cannot read schema id " + id + ": not an Avro schema (" + e.getMessage() + ")", e);
        }
        if (targetSchema != null) {
            return (DatumReader<Object>) (DatumReader<?>) new SpecificDatumReader<>(writer, targetSchema, CustomCoders.MODEL);
        }
        if (specific) {
            // getClass answers null for a record with no generated class; getSchema(null) would throw
            // an AvroTypeException that names neither the record nor the id.
            final Class<?> type = SpecificData.get().getClass(writer);
            if (type == null) {
                throw new SerializationException("specific.avro.reader=true but no generated class for "
                        + writer.getFullName() + " (schema id " + id + ")");
            }
            final Schema reader = SpecificData.get().getSchema(type);
            return (DatumReader<Object>) (DatumReader<?>) new SpecificDatumReader<>(writer, reader, CustomCoders.MODEL);
        }
        return new GenericDatumReader<>(writer);
    }
}
