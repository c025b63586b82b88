package dev.streamrec.bench.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.serde.InMemorySchemaRegistry;
import dev.streamrec.serde.SpecificAvroSerde;

/**
 * What our Schema-Registry serde costs on top of Avro itself: one ClickEvent serialized and
 * deserialized through {@link SpecificAvroSerde} (mock registry, caches warm, so no registry call
 * is measured) versus the same record through plain {@link SpecificDatumWriter} and
 * {@link SpecificDatumReader}, in the same run. Both paths produce a fresh byte[] and a fresh
 * record per operation and reuse their encoder and decoder, as the serde does, so the difference
 * is the framing, the id and reader look-ups and the Kafka interface, nothing else.
 * {@link SerdeOverhead} runs both and prints the ratio.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SerdeRoundTripBenchmark {

    private static final String TOPIC = "events.clicks";

    private final String scope = "bench-" + UUID.randomUUID();
    private ClickEvent click;

    private Serializer<ClickEvent> serdeSerializer;
    private Deserializer<ClickEvent> serdeDeserializer;

    private SpecificDatumWriter<ClickEvent> plainWriter;
    private SpecificDatumReader<ClickEvent> plainReader;
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    @Setup
    public void setUp() {
        click = ClickEvent.newBuilder()
                .setEventId("4f1c2a9e-6b1d-4c55-9a43-2f0d3c1e8b77")
                .setUserId("user-000123")
                .setItemId("item-004567")
                .setEventTime(Instant.ofEpochMilli(1_767_000_000_123L))
                .setSessionId("session-42")
                .build();
        final SpecificAvroSerde<ClickEvent> serde =
                SpecificAvroSerde.of(ClickEvent.class, Map.of("schema.registry.url", "mock://" + scope), false);
        serdeSerializer = serde.serializer();
        serdeDeserializer = serde.deserializer();
        // Warm the id, writer and reader caches: the steady state of a running application.
        final ClickEvent warm = serdeDeserializer.deserialize(TOPIC, serdeSerializer.serialize(TOPIC, click));
        if (!click.equals(warm)) {
            throw new IllegalStateException("serde round trip changed the record: " + warm);
        }

        plainWriter = new SpecificDatumWriter<>(ClickEvent.class);
        plainReader = new SpecificDatumReader<>(ClickEvent.class);
    }

    @TearDown
    public void tearDown() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Benchmark
    public ClickEvent serde() {
        return serdeDeserializer.deserialize(TOPIC, serdeSerializer.serialize(TOPIC, click));
    }

    @Benchmark
    public ClickEvent plainAvro() throws IOException {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        plainWriter.write(click, encoder);
        encoder.flush();
        final byte[] bytes = out.toByteArray();
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        return plainReader.read(null, decoder);
    }
}
