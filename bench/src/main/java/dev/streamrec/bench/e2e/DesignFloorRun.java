package dev.streamrec.bench.e2e;

import dev.streamrec.demo.broker.InProcessKafka;
import dev.streamrec.updater.topology.Topics;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The floor of this design, as {@link StreamsFloorRun} is the floor of a record count: the
 * updater's record flow (DESIGN.md) with every piece of application logic taken out. Each event
 * is read as bytes; the user's state, as large as the updater's stored profile, is read from and
 * written back to a logged RocksDB store; a profile and, as often as the updater writes one, a
 * list go out, each as large as the updater's; as many item steps as the updater sends go through
 * a repartition topic keyed by item into an item-keyed, cached, logged store (DSL aggregate, as the
 * updater's item stage), whose changes at each commit go to the item-factors topic and from there
 * into a global store on every instance. No Avro, no validation, no model, no top-N: what is left
 * is what the architecture costs in Kafka Streams, stores and broker with these record counts, so
 * no implementation writing as many records per event can be faster here, and the updater's CPU
 * per event above this floor is its own code.
 *
 * <p>Counts and sizes come from one of the updater's runs ({@link Shape#of}), so the floor follows
 * the updater as it changes; the benchmark also runs the leanest flow the design allows, one item
 * step per event (the observed item's, no sampled negatives at the item stage). The steps' items
 * are drawn with the skews of the updater's (see {@link #NEGATIVE_SKEW}), so the item stage sees
 * about as many distinct items per commit and publishes about as many item-factors records.
 */
final class DesignFloorRun {
    /** Store and topic names inside the floor application. */
    static final String USER_STORE = "floor-user-store";
    static final String ITEM_STORE = "floor-item-store";
    static final String ITEM_GLOBAL_STORE = "floor-item-global-store";
    static final String ITEM_STEPS = "floor-item-steps";

    /**
     * Item ranks are drawn as u^k for uniform u, so rank r has density ∝ r^(1/k − 1). The observed
     * item: k = 2, density ∝ r^−½ (as {@link SyntheticWorkload}). The updater samples negatives in
     * proportion to popularity^½ (Hyperparameters' samplingExponent), density ∝ r^−¼: k = 4/3.
     */
    private static final double NEGATIVE_SKEW = 4.0 / 3;

    /** First byte of every record the user stage writes: which output it is for. */
    private static final byte PROFILE = 1;
    private static final byte LIST = 2;
    private static final byte STEP = 3;

    /**
     * Per input event, what the updater wrote in one run, as counts per event and mean sizes in
     * bytes as the broker appended them (record and batch overhead included, so a little above
     * the values' own sizes).
     *
     * @param storedProfileBytes    a profile as stored (the profile store's changelog)
     * @param profileBytes          a published profile ({@code profiles.users})
     * @param listsPerEvent         recommendation lists per event
     * @param listBytes             a list
     * @param stepsPerEvent         item steps per event (the item-steps repartition topic)
     * @param stepBytes             an item step
     * @param itemBytes             an item's stored parameters (the item store's changelog)
     * @param items                 catalogue size the steps' items are drawn from
     */
    record Shape(int storedProfileBytes, int profileBytes, double listsPerEvent, int listBytes,
                 double stepsPerEvent, int stepBytes, int itemBytes, int items) {
        Shape {
            if (storedProfileBytes < 1 || profileBytes < 1 || listBytes < 1 || stepBytes < 1 || itemBytes < 1) {
                throw new IllegalArgumentException("every record size must be at least one byte");
            }
            if (listsPerEvent < 0 || listsPerEvent > 1 || stepsPerEvent < 0 || items < 1) {
                throw new IllegalArgumentException("lists per event must be in [0, 1], steps per event at least 0,"
                        + " items at least 1");
            }
        }

        /** This shape with {@code steps} item steps per event instead. */
        Shape withStepsPerEvent(final double steps) {
            return new Shape(storedProfileBytes, profileBytes, listsPerEvent, listBytes, steps, stepBytes, itemBytes, items);
        }

        /**
         * The shape of one of the updater's runs, from what the broker appended to its topics
         * ({@link WorkloadRun.Result#volumes()} and {@link WorkloadRun.Result#bytesIn()}).
         */
        static Shape of(final WorkloadRun.Result updater, final int items) {
            return new Shape(meanBytes(updater, "-profile-store-changelog"), meanBytes(updater, ".profiles"),
                    Math.min(1, perEvent(updater, ".recommendations")), meanBytes(updater, ".recommendations"),
                    perEvent(updater, "-item-steps-repartition"), meanBytes(updater, "-item-steps-repartition"),
                    meanBytes(updater, "-item-factors-store-changelog"), items);
        }

        private static double perEvent(final WorkloadRun.Result updater, final String topic) {
            return offsets(updater, topic) / (double) updater.events();
        }

        private static int meanBytes(final WorkloadRun.Result updater, final String topic) {
            final Long bytes = updater.bytesIn().get(topic);
            if (bytes == null) {
                throw new IllegalArgumentException("the updater's run has no bytes appended to its topic " + topic);
            }
            return (int) Math.max(1, Math.round(bytes / (double) offsets(updater, topic)));
        }

        private static long offsets(final WorkloadRun.Result updater, final String topic) {
            final Long offsets = updater.volumes().get(topic);
            if (offsets == null || offsets == 0) {
                throw new IllegalArgumentException("the updater's run appended nothing to its topic " + topic);
            }
            return offsets;
        }
    }

    /**
     * One measurement.
     *
     * @param seconds           wall time from the first send until every event and every item step was through
     * @param cpuSeconds        CPU time of this JVM (broker, application, harness) over the same interval
     * @param appends           offsets the broker appended to the run's topics (commit markers included)
     * @param itemFactorRecords offsets appended to the item-factors topic
     */
    record Result(Shape shape, long events, double seconds, double cpuSeconds, long appends, long itemFactorRecords)
            implements StreamsFloorRun.PerEvent {
        double itemFactorRecordsPerEvent() {
            return (double) itemFactorRecords / events;
        }
    }

    private DesignFloorRun() {
    }

    /** The floor application on {@code topics}; {@code seed} drives the steps' item choices. */
    static Topology topology(final Topics topics, final Shape shape, final long seed) {
        final Serde<byte[]> bytes = Serdes.ByteArray();
        final StreamsBuilder builder = new StreamsBuilder();
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ITEM_GLOBAL_STORE), bytes, bytes)
                        .withLoggingDisabled(),
                topics.itemFactors.name(), Consumed.with(bytes, bytes), GlobalCopy::new);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(USER_STORE), bytes, bytes));

        final Map<String, KStream<byte[], byte[]>> out = builder.stream(
                        List.of(topics.clicks.name(), topics.purchases.name(), topics.ratings.name()), Consumed.with(bytes, bytes))
                .process(() -> new UserStage(shape, seed), Named.as("floor-user-stage"), USER_STORE)
                .split(Named.as("floor-"))
                .branch((key, value) -> value[0] == PROFILE, Branched.as("profiles"))
                .branch((key, value) -> value[0] == LIST, Branched.as("lists"))
                .branch((key, value) -> value[0] == STEP, Branched.as("steps"))
                .noDefaultBranch();
        out.get("floor-profiles").to(topics.profiles.name(), Produced.with(bytes, bytes));
        out.get("floor-lists").to(topics.recommendations.name(), Produced.with(bytes, bytes));
        out.get("floor-steps")
                .repartition(Repartitioned.<byte[], byte[]>as(ITEM_STEPS).withKeySerde(bytes).withValueSerde(bytes))
                .groupByKey(Grouped.with(bytes, bytes))
                .aggregate(() -> new byte[shape.itemBytes()], DesignFloorRun::applyStep,
                        Materialized.<byte[], byte[], KeyValueStore<Bytes, byte[]>>as(ITEM_STORE)
                                .withKeySerde(bytes).withValueSerde(bytes))
                .toStream()
                .to(topics.itemFactors.name(), Produced.with(bytes, bytes));
        return builder.build();
    }

    /** The item stage's step: a new value of the item's size that differs from the last. */
    private static byte[] applyStep(final byte[] item, final byte[] step, final byte[] parameters) {
        final byte[] next = parameters.clone();
        next[0]++;
        return next;
    }

    static Result run(final InProcessKafka kafka, final String name, final Map<String, String> tuning,
                      final Workload workload, final long events, final Shape shape, final long seed,
                      final Duration timeout)
            throws Exception {
        final StreamsFloorRun.Measured measured = StreamsFloorRun.measure(kafka, name, tuning, workload, events,
                topics -> topology(topics, shape, seed), List.of(ITEM_STEPS + "-repartition"), timeout);
        final long itemFactors = measured.volumes().getOrDefault(".item.factors", 0L);
        return new Result(shape, events, measured.seconds(), measured.cpuSeconds(), measured.appends(), itemFactors);
    }

    /**
     * The user stage without its logic: reads and rewrites the user's state, writes a profile,
     * a list as often as the updater does, and the item steps.
     */
    private static final class UserStage implements Processor<byte[], byte[], byte[], byte[]> {
        private final Shape shape;
        private final long seed;
        private final byte[][] itemKeys;
        private ProcessorContext<byte[], byte[]> context;
        private KeyValueStore<byte[], byte[]> users;
        private SplittableRandom random;

        UserStage(final Shape shape, final long seed) {
            this.shape = shape;
            this.seed = seed;
            itemKeys = new byte[shape.items()][];
            for (int i = 0; i < itemKeys.length; i++) {
                itemKeys[i] = ("item-" + i).getBytes(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void init(final ProcessorContext<byte[], byte[]> context) {
            this.context = context;
            users = context.getStateStore(USER_STORE);
            random = new SplittableRandom(seed ^ context.taskId().hashCode());
        }

        @Override
        public void process(final Record<byte[], byte[]> event) {
            final byte[] stored = users.get(event.key());
            final byte[] profile = stored == null ? new byte[shape.storedProfileBytes()] : stored;
            profile[0]++;
            users.put(event.key(), profile);
            context.forward(event.withValue(tagged(PROFILE, shape.profileBytes())));
            if (random.nextDouble() < shape.listsPerEvent()) {
                context.forward(event.withValue(tagged(LIST, shape.listBytes())));
            }
            final int whole = (int) shape.stepsPerEvent();
            final int steps = whole + (random.nextDouble() < shape.stepsPerEvent() - whole ? 1 : 0);
            for (int s = 0; s < steps; s++) {
                final double u = random.nextDouble();
                final int item = (int) ((s == 0 ? u * u : Math.pow(u, NEGATIVE_SKEW)) * shape.items());
                context.forward(event.withKey(itemKeys[item]).withValue(tagged(STEP, shape.stepBytes())));
            }
        }

        private static byte[] tagged(final byte tag, final int size) {
            final byte[] value = new byte[size];
            value[0] = tag;
            return value;
        }
    }

    /** The global store's update: the item-factors record stored as it came, as the updater's global store does. */
    private static final class GlobalCopy implements Processor<byte[], byte[], Void, Void> {
        private KeyValueStore<byte[], byte[]> items;

        @Override
        public void init(final ProcessorContext<Void, Void> context) {
            items = context.getStateStore(ITEM_GLOBAL_STORE);
        }

        @Override
        public void process(final Record<byte[], byte[]> record) {
            items.put(record.key(), record.value());
        }
    }
}
