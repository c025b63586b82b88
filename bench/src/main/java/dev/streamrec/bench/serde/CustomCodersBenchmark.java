package dev.streamrec.bench.serde;

import dev.streamrec.schemas.ItemUpdate;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.RecommendedItem;
import dev.streamrec.schemas.StepKind;
import dev.streamrec.serde.InMemorySchemaRegistry;
import dev.streamrec.serde.SerdeConfig;
import dev.streamrec.serde.SpecificAvroSerde;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Encoding and decoding of the two records the hot path writes most (per input event, 3.2 item
 * steps through the repartition topic and one recommendation list of 20 items): the project's
 * serde, which runs the generated classes' custom coders, against Avro's schema-walking
 * {@link SpecificDatumWriter}/{@link SpecificDatumReader} with custom coders off (Avro's default).
 * Both produce the same bytes ({@code WireFormatTest}); the serde's figure also includes the
 * 5-byte wire-format header and its schema-id lookup. (What the serde adds on top of Avro for a
 * record without custom coders is {@link SerdeRoundTripBenchmark}'s question.)
 *
 * <pre>bench/run.sh jmh CustomCodersBenchmark -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CustomCodersBenchmark {
    private static final String TOPIC = "bench";

    /** Which record: an item step (rank 64) or a recommendation list (20 items with reasons). */
    @Param({"item-step", "list"})
    public String record;

    private final String scope = "custom-coders-bench-" + UUID.randomUUID();
    private SpecificRecordBase value;
    private SpecificAvroSerde<SpecificRecordBase> serde;
    private byte[] wireBytes;
    private byte[] plainBytes;
    private SpecificDatumWriter<SpecificRecordBase> schemaWalkWriter;
    private SpecificDatumReader<SpecificRecordBase> schemaWalkReader;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() throws IOException {
        value = record.equals("list") ? list() : itemStep();
        serde = (SpecificAvroSerde<SpecificRecordBase>) (SpecificAvroSerde<?>) SpecificAvroSerde.of(value.getClass(),
                Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + scope), false);
        wireBytes = serde.serializer().serialize(TOPIC, value);
        final SpecificData plain = new SpecificData();
        plain.setCustomCoders(false);
        schemaWalkWriter = new SpecificDatumWriter<>(value.getSchema(), plain);
        schemaWalkReader = new SpecificDatumReader<>(value.getSchema(), value.getSchema(), plain);
        plainBytes = schemaWalkEncode();
    }

    @TearDown
    public void tearDown() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    @Benchmark
    public byte[] serdeEncode() {
        return serde.serializer().serialize(TOPIC, value);
    }

    @Benchmark
    public Object serdeDecode() {
        return serde.deserializer().deserialize(TOPIC, wireBytes);
    }

    @Benchmark
    public byte[] schemaWalkEncode() throws IOException {
        out.reset();
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        schemaWalkWriter.write(value, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Benchmark
    public Object schemaWalkDecode() throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(plainBytes, decoder);
        return schemaWalkReader.read(null, decoder);
    }

    private static ItemUpdate itemStep() {
        final SplittableRandom random = new SplittableRandom(1);
        final List<Float> factors = new ArrayList<>(64);
        for (int f = 0; f < 64; f++) {
            factors.add((float) random.nextGaussian());
        }
        return ItemUpdate.newBuilder().setItemId("item-4711").setKind(StepKind.INTERACTION).setUserFactors(factors)
                .setGradientScale(0.37f).setPositive(true).setSourceEventId("ev-" + UUID.randomUUID()).setReadVersion(42).build();
    }

    private static Recommendations list() {
        final List<RecommendedItem> items = new ArrayList<>(20);
        for (int i = 0; i < 20; i++) {
            items.add(RecommendedItem.newBuilder().setItemId("item-" + (1000 + i * 37)).setScore(3.5 - i * 0.1)
                    .setReason("you liked item-" + (900 + i)).build());
        }
        return Recommendations.newBuilder().setUserId("user-123").setItems(items).setStrategy("mf").setModelVersion(7)
                .setGeneratedAt(Instant.ofEpochMilli(1_700_000_000_000L)).setTriggerIngestTime(Instant.ofEpochMilli(1_699_999_999_900L))
                .build();
    }
}
