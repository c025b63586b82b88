package dev.streamrec.updater.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import dev.streamrec.updater.model.Hyperparameters;
import dev.streamrec.updater.topology.Names;
import dev.streamrec.updater.errors.DeadLetterDeserializationHandler;
import dev.streamrec.updater.errors.DeadLetterProcessingHandler;
import dev.streamrec.updater.errors.DeadLetterProductionHandler;
import dev.streamrec.updater.errors.DeadLetters;

/**
 * Every setting of the profile-updater, typed and validated, from one {@link Settings}. Defaults
 * live in {@link #DEFAULTS}; {@link #load} layers a properties file and environment variables on
 * top. Pass-through Kafka Streams settings: any key starting with {@code kafka.} (for example
 * {@code kafka.num.stream.threads=2}) is handed to Kafka Streams without the prefix.
 */
public record UpdaterConfig(
        String applicationId,
        String bootstrapServers,
        String schemaRegistryUrl,
        String processingGuarantee,
        String stateDir,
        TopicNames topics,
        TopicCreation topicCreation,
        ValidationRules validation,
        Duration dedupeWindow,
        ProfileRules profile,
        RecommendationRules recommendations,
        Hyperparameters model,
        Duration itemFactorsPublishInterval,
        MetricsRules metrics,
        long rocksDbBlockCacheBytes,
        long rocksDbWriteBufferBytes,
        Settings settings) {

    /**
     * The largest {@code validation.max.future.skew.ms}: record times, and with them the trending
     * times published on {@code model.item-factors}, are never further ahead of the wall clock, so
     * readers can refuse a record that is ({@code UsableItemFactors}). A day is far beyond any
     * producer's clock error.
     */
    public static final Duration MAX_FUTURE_SKEW = Duration.ofDays(1);
    /**
     * The longest id (after trimming) an event may carry; the recommender-service reads the same key
     * through {@link #maxIdLength}, so it answers for exactly the ids kept here.
     */
    public static final String ID_MAX_LENGTH = "validation.id.max.length";
    public static final Map<String, String> DEFAULTS = defaults();
    /**
     * The Kafka Streams properties whose value {@link #streamsProperties} takes from one of the
     * application's own keys, by that key. A {@code kafka.} pass-through of one of them is refused:
     * Kafka Streams would run with one value while the application's checks, its topic creation
     * and its documentation go by the other ({@code kafka.streamrec.rocksdb.block.cache.bytes=1}
     * silently replaced the cache {@code rocksdb.block.cache.bytes} sized). UpdaterConfigTest finds
     * these properties by changing each own key, so one missing here fails it.
     */
    public static final Map<String, String> OWN_KEY_BY_STREAMS_PROPERTY = ownKeyByStreamsProperty();

    private static Map<String, String> ownKeyByStreamsProperty() {
        final Map<String, String> own = new LinkedHashMap<>(BoundedMemoryRocksDbConfig.OWN_KEY_BY_PROPERTY);
        own.put(StreamsConfig.APPLICATION_ID_CONFIG, "application.id");
        own.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "bootstrap.servers");
        own.put(StreamsConfig.STATE_DIR_CONFIG, "state.dir");
        own.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "processing.guarantee");
        own.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "topic.dlq");
        return Map.copyOf(own);
    }

    private static Map<String, String> defaults() {
        final Map<String, String> d = new LinkedHashMap<>();
        d.put("application.id", "streamrec-profile-updater");
        d.put("bootstrap.servers", "localhost:9092");
        d.put("schema.registry.url", "http://localhost:8081");
        d.put("processing.guarantee", "exactly_once_v2");
        d.put("state.dir", System.getProperty("java.io.tmpdir") + "/streamrec-state");
        d.put("topic.clicks", "events.clicks");
        d.put("topic.purchases", "events.purchases");
        d.put("topic.ratings", "events.ratings");
        d.put("topic.catalog", "catalog.items");
        d.put("topic.dlq", "events.dlq");
        d.put("topic.item.factors", "model.item-factors");
        d.put("topic.profiles", "profiles.users");
        d.put("topic.recommendations", "recommendations.users");
        d.put("topic.metrics", "model.metrics");
        d.put("topics.create", "true");
        d.put("topics.partitions", "4");
        d.put("topics.replication.factor", String.valueOf(TopicCreation.BROKER_DEFAULT_REPLICATION_FACTOR));
        d.put(ID_MAX_LENGTH, "128");
        d.put("validation.rating.min", "1");
        d.put("validation.rating.max", "5");
        d.put("validation.rating.step", "0.5");
        d.put("validation.max.future.skew.ms", String.valueOf(Duration.ofMinutes(5).toMillis()));
        d.put("validation.max.age.ms", String.valueOf(Duration.ofDays(30).toMillis()));
        d.put("events.dedupe.window.ms", String.valueOf(Duration.ofHours(24).toMillis()));
        d.put("profile.affinity.half.life.ms", String.valueOf(Duration.ofDays(7).toMillis()));
        d.put("profile.affinity.top.k", "20");
        d.put("profile.recent.items", "200");
        d.put("profile.anomaly.burst.window.ms", "10000");
        d.put("profile.anomaly.burst.max.events", "30");
        d.put("profile.anomaly.min.population", "200");
        d.put("profile.anomaly.z.threshold", "4.0");
        d.put("recommendations.size", "20");
        // A changed user waits up to one interval for a list. 100 ms instead of 200 cut the p99
        // from the producer's send at 5,000 events/s by ~100 ms together with the shorter fetch
        // wait below (bench, four interleaved pairs: 330-370 ms against 459-528) for about 0.05
        // cores more at 2,500 events/s; the batches scored per round are half as big.
        d.put("recommendations.refresh.interval.ms", "100");
        // At most four lists per user per second. At 1,000 ms the pacing set the latency tail: a
        // user with a second event within the second waited for the interval (p99 1.1 s at
        // 5,000 events/s, 0.39 s at 250 ms); a user's events seconds apart cost the same either way.
        d.put("recommendations.min.user.interval.ms", "250");
        d.put("recommendations.exclude.clicked", "false");
        d.put("recommendations.cold.start.min.events", "5");
        d.put("recommendations.trending.half.life.ms", String.valueOf(Duration.ofHours(6).toMillis()));
        // Catalogues of at least this many items are ranked through a cluster index (10 of √items
        // clusters per user, see ClusteredTopNScorer); smaller ones exactly. Measured (JMH, rank 64,
        // 1,024 users, catalogue with taste structure), exact vs index, us per user: 28 vs 20 at
        // 2,500 items, 45 vs 24 at 5,000, 79 vs 27 at 10,000 (these three on one slow day; 50 vs
        // 20 at 10,000 on a faster one), 430 vs 67 at 100,000;
        // lists identical to the exact ones up to 10,000. In the end-to-end benchmark (10,000
        // items) the stream threads' CPU per event fell 5-20 % (per-thread clocks; earlier
        // throughput-only A/Bs could not see it in the noise). MovieLens (1,682 items) stays exact;
        // forced onto it the index cost recall@10 0.001-0.004 in the benchmark's replays.
        d.put("recommendations.candidates.min.items", "5000");
        d.put("recommendations.candidates.probes", "10");
        d.put("recommendations.candidates.rebuild.interval.ms", "30000");
        // How long the item stage may hold an item's changes to merge them into one
        // model.item-factors record; 0 publishes at every commit. Off by default: at 1 s the
        // MovieLens replay through Kafka lost 0.005-0.009 of recall@20 to the staler item
        // vectors, for no CPU saving a single instance could show (see ItemFactorsPublisher).
        d.put("item.factors.publish.interval.ms", "0");
        d.put("metrics.interval.ms", "5000");
        d.put("metrics.window.events", "1000");
        d.put("metrics.positive.min.rating", "5");
        d.put("metrics.prequential.sample.rate", "1.0");
        // Memtables are charged to the block cache, so the cache is the whole off-heap bound. With
        // 32 MiB of write buffers shared by every store of every task, memtables were flushed as
        // small files that RocksDB then compacted (0.09 ms of CPU per event) and reads searched;
        // 128 MiB of 256 MiB measured 4,047 → 5,635 and 5,585 events/s in the benchmark.
        d.put("rocksdb.block.cache.bytes", String.valueOf(256L << 20));
        d.put("rocksdb.write.buffer.bytes", String.valueOf(128L << 20));
        d.putAll(ModelSettings.defaults());
        return Map.copyOf(d);
    }

    /** The topic names, all configurable. */
    public record TopicNames(String clicks, String purchases, String ratings, String catalog, String dlq,
                             String itemFactors, String profiles, String recommendations, String metrics) {

        /** The {@code topic.*} keys: one reading for every application of the project. */
        public static TopicNames from(final Settings s) {
            return new TopicNames(s.string("topic.clicks"), s.string("topic.purchases"), s.string("topic.ratings"),
                    s.string("topic.catalog"), s.string("topic.dlq"), s.string("topic.item.factors"),
                    s.string("topic.profiles"), s.string("topic.recommendations"), s.string("topic.metrics"));
        }
    }

    /**
     * Whether the updater creates its missing topics at start, and how: {@code replicationFactor}
     * empty leaves it to the broker's {@code default.replication.factor}, as Kafka Streams does for
     * its internal topics ({@code kafka.replication.factor}, -1 by default), so one cluster setting
     * covers every topic of the application.
     */
    public record TopicCreation(boolean create, int partitions, Optional<Short> replicationFactor) {
        /** Kafka's "not given" for a replication factor: the broker's default. */
        static final int BROKER_DEFAULT_REPLICATION_FACTOR = -1;

        /** The {@code topics.*} keys, read whether or not {@code topics.create} is on. */
        static TopicCreation from(final Settings s) {
            final boolean create = s.bool("topics.create");
            final int partitions = s.intValue("topics.partitions", 1, 10_000);
            final int replication = s.intValue("topics.replication.factor", BROKER_DEFAULT_REPLICATION_FACTOR, Short.MAX_VALUE);
            if (replication == 0) {
                throw new ConfigException("topics.replication.factor", "0",
                        "must be -1 (the broker's default.replication.factor) or between 1 and " + Short.MAX_VALUE);
            }
            return new TopicCreation(create, partitions, replication == BROKER_DEFAULT_REPLICATION_FACTOR
                    ? Optional.empty() : Optional.of((short) replication));
        }
    }

    /** What makes an event usable. */
    public record ValidationRules(int maxIdLength, double ratingMin, double ratingMax, double ratingStep,
                                  Duration maxFutureSkew, Duration maxAge,
                                  double clickWeight, double purchaseWeight, double ratingWeight) {
        // The weights are the model's confidence weights (model.click.weight, ...): one source of truth.

        /**
         * How far from a whole number of steps a distance may be and still count as one: decimal
         * steps such as 0.1 are not exact in binary, so (0.7 - 0.1) / 0.2 is 2.9999999999999996.
         */
        private static final double STEPS_TOLERANCE = 1e-6;

        /**
         * Whether {@code distance} is a whole number of {@code step}s: the validator's test of a
         * rating's distance from {@code validation.rating.min}, and the start's of the scale's width,
         * so the two agree on what lies on the scale.
         */
        public static boolean isWholeSteps(final double distance, final double step) {
            final double steps = distance / step;
            return Math.abs(steps - Math.rint(steps)) <= STEPS_TOLERANCE;
        }
    }

    /** How profiles aggregate. */
    public record ProfileRules(Duration affinityHalfLife, int affinityTopK, int recentItems,
                               Duration burstWindow, int burstMaxEvents, int anomalyMinPopulation,
                               double anomalyZThreshold) {
    }

    /**
     * Prequential (test-then-train) monitoring: how often a summary is published, the window of the
     * windowed figures, which ratings count as positives for recall, and the share of positives
     * scored (scoring a positive ranks the whole catalogue for that user).
     */
    public record MetricsRules(Duration interval, int window, double positiveMinRating, double sampleRate) {
    }

    /** How and when top-N lists are refreshed. */
    public record RecommendationRules(int size, Duration refreshInterval, Duration minUserInterval,
                                      boolean excludeClicked, int coldStartMinEvents, Duration trendingHalfLife,
                                      CandidateRules candidates) {
    }

    /**
     * When top-N scores only the candidates of a cluster index instead of every item: from
     * {@code minItems} items on, the {@code probes} best of √items clusters per user, the index
     * rebuilt every {@code rebuildInterval} (items move as the model learns).
     */
    public record CandidateRules(int minItems, int probes, Duration rebuildInterval) {
    }

    /**
     * {@link #ID_MAX_LENGTH}, read and bounded the one way both applications read it.
     *
     * @throws ConfigException naming the key when it is not a whole number from 1 to 10,000
     */
    public static int maxIdLength(final Settings s) {
        return s.intValue(ID_MAX_LENGTH, 1, 10_000);
    }

    /** Defaults, then {@code file} (nullable), then the process environment. */
    public static UpdaterConfig load(final Path file) {
        return from(Settings.load(DEFAULTS, file, System.getenv()));
    }

    /**
     * Defaults overridden by {@code overrides} (tests and launchers).
     *
     * @throws ConfigException naming an override that is no key of the updater's, as {@link #load} does
     */
    public static UpdaterConfig of(final Map<String, String> overrides) {
        Settings.requireKnown(overrides.keySet(), DEFAULTS.keySet(), Settings.PASS_THROUGH_PREFIXES, "in the overrides");
        final Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
        merged.putAll(overrides);
        return from(Settings.of(merged));
    }

    /**
     * Reads and validates every setting.
     *
     * @throws ConfigException naming the first bad key
     */
    public static UpdaterConfig from(final Settings s) {
        s.requireNoPassThroughShadowing("kafka.", OWN_KEY_BY_STREAMS_PROPERTY);
        final String guarantee = s.string("processing.guarantee");
        if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) && !guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
            throw new ConfigException("processing.guarantee", guarantee,
                    "must be " + StreamsConfig.EXACTLY_ONCE_V2 + " or " + StreamsConfig.AT_LEAST_ONCE);
        }
        final double ratingMin = s.doubleValue("validation.rating.min", -1e6, 1e6);
        final double ratingMax = s.doubleValue("validation.rating.max", -1e6, 1e6);
        if (ratingMax <= ratingMin) {
            throw new ConfigException("validation.rating.max", ratingMax, "must be greater than validation.rating.min");
        }
        final TopicNames topics = TopicNames.from(s);
        final TopicCreation topicCreation = TopicCreation.from(s);
        final Hyperparameters model = ModelSettings.from(s);
        requireAcceptedRatingsWithinModelScale(ratingMin, ratingMax, model);
        final double ratingStep = s.doubleValue("validation.rating.step", 0, ratingMax - ratingMin);
        requireMaximumRatingOnTheStep(ratingMin, ratingMax, ratingStep);
        final ValidationRules validation = new ValidationRules(
                maxIdLength(s), ratingMin, ratingMax, ratingStep,
                Duration.ofMillis(s.longValue("validation.max.future.skew.ms", 0, MAX_FUTURE_SKEW.toMillis())),
                Duration.ofMillis(s.longValue("validation.max.age.ms", 1, Long.MAX_VALUE / 2)),
                model.clickWeight(), model.purchaseWeight(), model.ratingWeight());
        final ProfileRules profile = new ProfileRules(
                Duration.ofMillis(s.longValue("profile.affinity.half.life.ms", 1, Long.MAX_VALUE / 2)),
                s.intValue("profile.affinity.top.k", 1, 10_000), s.intValue("profile.recent.items", 1, 100_000),
                Duration.ofMillis(s.longValue("profile.anomaly.burst.window.ms", 1, Long.MAX_VALUE / 2)),
                s.intValue("profile.anomaly.burst.max.events", 2, 1_000_000),
                s.intValue("profile.anomaly.min.population", 2, Integer.MAX_VALUE),
                s.doubleValue("profile.anomaly.z.threshold", 0.5, 1e6));
        final RecommendationRules recommendations = new RecommendationRules(
                s.intValue("recommendations.size", 1, 1000),
                Duration.ofMillis(s.longValue("recommendations.refresh.interval.ms", 1, 3_600_000)),
                Duration.ofMillis(s.longValue("recommendations.min.user.interval.ms", 0, 3_600_000)),
                s.bool("recommendations.exclude.clicked"),
                s.intValue("recommendations.cold.start.min.events", 0, 1_000_000),
                Duration.ofMillis(s.longValue("recommendations.trending.half.life.ms", 1, Long.MAX_VALUE / 2)),
                new CandidateRules(s.intValue("recommendations.candidates.min.items", 1, Integer.MAX_VALUE),
                        s.intValue("recommendations.candidates.probes", 1, 1_000_000),
                        Duration.ofMillis(s.longValue("recommendations.candidates.rebuild.interval.ms", 1, 86_400_000))));
        final long rocksDbBlockCacheBytes = s.longValue("rocksdb.block.cache.bytes", 1 << 20, Long.MAX_VALUE / 2);
        final long rocksDbWriteBufferBytes = s.longValue("rocksdb.write.buffer.bytes", 1 << 20, Long.MAX_VALUE / 2);
        BoundedMemoryRocksDbConfig.requireWriteBuffersWithinBlockCache(rocksDbBlockCacheBytes, rocksDbWriteBufferBytes);
        return new UpdaterConfig(s.string("application.id"), s.string("bootstrap.servers"),
                s.string("schema.registry.url"), guarantee, s.string("state.dir"), topics, topicCreation, validation,
                Duration.ofMillis(s.longValue("events.dedupe.window.ms", 1, Duration.ofDays(365).toMillis())),
                profile, recommendations, model,
                Duration.ofMillis(s.longValue("item.factors.publish.interval.ms", 0, 3_600_000)),
                new MetricsRules(Duration.ofMillis(s.longValue("metrics.interval.ms", 10, 3_600_000)),
                        s.intValue("metrics.window.events", 1, 10_000_000),
                        s.doubleValue("metrics.positive.min.rating", -1e6, 1e6),
                        s.doubleValue("metrics.prequential.sample.rate", 0, 1)),
                rocksDbBlockCacheBytes, rocksDbWriteBufferBytes, s);
    }

    /**
     * The validator counts a rating's steps from {@code validation.rating.min}: unless the maximum
     * is a whole number of steps away, the scale's top is rejected as RATING_OUT_OF_RANGE (1-5 with
     * a step of 0.3 dead-letters every 5; with a step of 3, every rating but 1 and 4).
     */
    private static void requireMaximumRatingOnTheStep(final double ratingMin, final double ratingMax,
                                                      final double ratingStep) {
        if (ratingStep > 0 && !ValidationRules.isWholeSteps(ratingMax - ratingMin, ratingStep)) {
            throw new ConfigException("validation.rating.step", ratingStep, "must divide validation.rating.max - "
                    + "validation.rating.min (" + ratingMax + " - " + ratingMin + ") into whole steps: ratings are"
                    + " counted in steps from the minimum, so otherwise a rating of validation.rating.max would be"
                    + " rejected (0 accepts any value in the range)");
        }
    }

    /**
     * Every rating the validator accepts must lie on the model's scale: the model clamps its
     * predictions to [{@code model.min.rating}, {@code model.max.rating}], so an accepted 10 on a
     * 1-5 model is an error the model can never predict away, and its gradient pushes biases and
     * factors toward the clip limits. Compared as floats, the model's precision.
     */
    private static void requireAcceptedRatingsWithinModelScale(final double ratingMin, final double ratingMax,
                                                               final Hyperparameters model) {
        if ((float) ratingMin < model.minRating() || (float) ratingMax > model.maxRating()) {
            throw new ConfigException("The accepted ratings [validation.rating.min, validation.rating.max] = ["
                    + ratingMin + ", " + ratingMax + "] must lie within the model's scale [model.min.rating, "
                    + "model.max.rating] = [" + model.minRating() + ", " + model.maxRating() + "]");
        }
    }

    /** Settings for the Avro serdes (registry URL plus any {@code serde.} pass-through keys). */
    public Map<String, Object> serdeConfig() {
        final Map<String, Object> serde = settings.withPrefix("serde.");
        serde.put("schema.registry.url", schemaRegistryUrl);
        return serde;
    }

    /**
     * Small commit interval: under exactly-once it bounds how long a result stays invisible to
     * read_committed consumers, i.e. the event-to-recommendation latency.
     */
    static final int COMMIT_INTERVAL_MS = 100;
    static final int AT_LEAST_ONCE_LINGER_MS = 5;
    static final int PRODUCER_BATCH_BYTES = 128 * 1024;
    static final int MAIN_FETCH_MAX_WAIT_MS = 20;
    static final int MAIN_FETCH_MIN_BYTES = 1_000_000;

    /** The Kafka Streams properties this configuration implies. */
    public Properties streamsProperties() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Under exactly-once nothing the instance writes is visible before its transaction
        // commits (its own item stage and global thread read committed too), and the commit
        // flushes the producer: lingering for the commit interval costs no visible latency and
        // fills larger batches. At 5,000 events/s offered that saved ~10 µs of broker and
        // producer-thread CPU per event (bench, latency runs). At least once, a record is visible
        // when written, so the linger stays short.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG),
                processingGuarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) ? COMMIT_INTERVAL_MS : AT_LEAST_ONCE_LINGER_MS);
        // One batch per partition should hold a commit interval's records: with the default 16 KiB
        // the recommendation and item-step partitions filled a batch every few tens of ms, and each
        // full batch woke the sender for another produce request (109 produce requests per 1,000
        // events at 5,000 events/s, 43 with 128 KiB, most of them now the harness's own producer).
        // Paced, that cut 0.48 → 0.42 ms of CPU per event (broker handlers 61 → 49 µs, producer I/O
        // 47 → 29, stream threads 250 → 233; bench, 300k-event runs); 256 KiB measured the same.
        // The default 32 MiB buffer.memory still holds an open batch for 256 partitions per thread.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // Below saturation a stream thread answered every fetch that had a byte for it: each
        // producer batch on an input partition woke it for a few records, with a poll, a fetch
        // request and the broker's work for both around them. Waiting up to 50 ms for a fuller
        // fetch (a backlog still returns at once) took the JVM from 1.31 and 1.30 cores to 0.95
        // and 1.06 at 1,000 events/s, from 1.52 and 1.59 to 1.23 and 1.44 at 2,500 (stream
        // threads 0.42 -> 0.26-0.29 cores at 1,000, broker 0.40 -> 0.28-0.31; bench, table of CPU
        // by offered load, two interleaved pairs), for 5-30 ms more at the median from the send
        // and 20-100 ms at the p99 at 1,000 events/s. The wait is now 20 ms: on a machine with
        // headroom at 5,000 events/s the 50 ms wait was a third of the input's share of the
        // latency tail (with 100 ms refreshes, four interleaved pairs against the old defaults:
        // from the send p50 147-166 against 235-254 ms, p99 330-370 against 459-528; cores at
        // 1,000 events/s 0.63-0.66 against 0.59-0.65). Only the main consumer: the global thread's
        // item factors and the restore consumer keep Kafka's defaults.
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), MAIN_FETCH_MAX_WAIT_MS);
        props.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MIN_BYTES_CONFIG), MAIN_FETCH_MIN_BYTES);
        // A user-stage task reads four partitions (clicks, purchases, ratings, rekeyed events). By
        // default, before each record Kafka Streams checks every empty one of them against the
        // consumer's fetched lag, to wait for data that could come earlier in time (KIP-695); the
        // rekeyed partition is empty whenever producers key by user, so that check ran on every
        // record: 2.9 % of the stream threads' samples (0.05 % without). Nothing here needs records
        // of different topics interleaved by timestamp (each event is validated, deduplicated and
        // learned on its own), so take what is buffered. End to end the gain is within run-to-run
        // spread: two interleaved pairs of 300k-event runs gave stream threads 195-199 -> 175-180 µs
        // per event, a 1M-event pair 210 -> 220.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class);
        props.put(BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES, rocksDbBlockCacheBytes);
        props.put(BoundedMemoryRocksDbConfig.WRITE_BUFFER_BYTES, rocksDbWriteBufferBytes);
        // The store whose point lookups mostly miss: every new event id is looked up in up to
        // three buckets. (user-items-store is read by prefix scans, which a filter does not help.)
        props.put(BoundedMemoryRocksDbConfig.MEMTABLE_FILTER_STORES, Names.DEDUPE_STORE);
        // The store that grows with the event rate times the window, past any cache after hours
        // at production rates: partitioned index and filters, so a lookup reads pieces of them,
        // not whole blocks (a few µs per event while they fit; see BoundedMemoryRocksDbConfig).
        props.put(BoundedMemoryRocksDbConfig.PARTITIONED_INDEX_STORES, Names.DEDUPE_STORE);
        // Errors are data: undecodable and rejected records go to the dead-letter topic with their
        // original bytes (KIP-1034); a failed write to an output topic stops the application.
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.dlq());
        // ... except the global stores' records, which Kafka Streams cannot dead-letter: the
        // handlers log and skip those (see DeadLetterDeserializationHandler).
        props.put(DeadLetters.GLOBAL_TOPICS_CONFIG, topics.catalog() + "," + topics.itemFactors());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
        // The global stores' processors (catalog, item factors) get the same handler instead of
        // killing the global thread on one bad record.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Ours, not Kafka's default: that one writes dead letters without our reason header.
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        props.putAll(settings.withPrefix("kafka."));
        return props;
    }
}
