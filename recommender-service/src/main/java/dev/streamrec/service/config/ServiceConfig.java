package dev.streamrec.service.config;

import dev.streamrec.service.errors.SkipCorruptRecordsHandler;
import dev.streamrec.updater.config.BoundedMemoryRocksDbConfig;
import dev.streamrec.updater.config.ModelSettings;
import dev.streamrec.updater.config.Settings;
import dev.streamrec.updater.config.UpdaterConfig;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Every setting of the recommender-service, typed and validated, from one {@link Settings} (the
 * same layering as the updater: defaults, then a properties file, then {@code STREAMREC_*}
 * environment variables). Topic keys ({@code topic.*}) and their defaults are the updater's, so one
 * properties file or one set of environment variables names the topics for both applications. So
 * are {@code model.rank} and {@code model.sharing}, which fix the length of the item vectors, and
 * {@code validation.id.max.length}, so the service answers for exactly the ids the updater keeps.
 * Keys starting with {@code kafka.} pass through to Kafka Streams without the prefix (for example
 * {@code kafka.num.standby.replicas=1}); keys starting with {@code serde.} pass through to the Avro
 * serdes.
 */
public record ServiceConfig(
        String applicationId,
        String bootstrapServers,
        String schemaRegistryUrl,
        String stateDir,
        String httpHost,
        int httpPort,
        HostInfo advertised,
        Duration forwardTimeout,
        int retryAfterSeconds,
        int defaultLimit,
        int maxLimit,
        int maxIdLength,
        Duration trendingHalfLife,
        int itemDimensions,
        UpdaterConfig.TopicNames topics,
        long rocksDbBlockCacheBytes,
        long rocksDbWriteBufferBytes,
        Settings settings) {

    /**
     * The updater's key, with its default: the cold-start list decays the updater's published counts
     * with it, and must decay them as the updater does for both to rank new users' lists alike.
     */
    public static final String TRENDING_HALF_LIFE = "recommendations.trending.half.life.ms";
    /**
     * The updater's keys, with its defaults, that give the length of its item vectors
     * ({@code Hyperparameters.dimensions()}): the similar-items matrix must be as wide as the
     * vectors the updater publishes now, which the topic alone cannot say while it still holds
     * vectors from before a change of either key.
     */
    public static final String MODEL_RANK = "model.rank";
    /**
     * The Kafka Streams properties one of this application's keys sets, by that key: a {@code kafka.}
     * override of one would run Kafka Streams under another value than the one the service routes,
     * names, checks and sizes its memory with.
     */
    static final Map<String, String> OWN_KEY_BY_STREAMS_PROPERTY = ownKeyByStreamsProperty();

    private static Map<String, String> ownKeyByStreamsProperty() {
        final Map<String, String> own = new HashMap<>(BoundedMemoryRocksDbConfig.OWN_KEY_BY_PROPERTY);
        for (final String key : List.of(StreamsConfig.APPLICATION_ID_CONFIG, StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                StreamsConfig.STATE_DIR_CONFIG, StreamsConfig.APPLICATION_SERVER_CONFIG)) {
            own.put(key, key);
        }
        return Map.copyOf(own);
    }
    public static final String MODEL_SHARING = "model.sharing";
    public static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        final Map<String, String> d = new LinkedHashMap<>();
        d.put("application.id", "streamrec-recommender-service");
        d.put("bootstrap.servers", "localhost:9092");
        d.put("schema.registry.url", "http://localhost:8081");
        d.put("state.dir", System.getProperty("java.io.tmpdir") + "/streamrec-service-state");
        d.put("http.host", "0.0.0.0");
        d.put("http.port", "8080");
        // application.server, what other instances use to reach this one, has no fixed default:
        // unset, it is localhost at http.port (advertisedAddress).
        d.put("forward.timeout.ms", "2000");
        d.put("retry.after.seconds", "1");
        d.put("recommendations.default.limit", "20");
        d.put("query.limit.max", "1000");
        d.put(TRENDING_HALF_LIFE, UpdaterConfig.DEFAULTS.get(TRENDING_HALF_LIFE));
        d.put(MODEL_RANK, UpdaterConfig.DEFAULTS.get(MODEL_RANK));
        d.put(MODEL_SHARING, UpdaterConfig.DEFAULTS.get(MODEL_SHARING));
        d.put(UpdaterConfig.ID_MAX_LENGTH, UpdaterConfig.DEFAULTS.get(UpdaterConfig.ID_MAX_LENGTH));
        d.put("rocksdb.block.cache.bytes", String.valueOf(64L << 20));
        d.put("rocksdb.write.buffer.bytes", String.valueOf(16L << 20));
        UpdaterConfig.DEFAULTS.forEach((key, value) -> {
            if (key.startsWith("topic.")) {
                d.put(key, value);
            }
        });
        return Map.copyOf(d);
    }

    /** Defaults, then {@code file} (nullable), then the process environment. */
    public static ServiceConfig load(final Path file) {
        return from(Settings.load(DEFAULTS, file, System.getenv()));
    }

    /** Defaults overridden by {@code overrides} (tests). */
    public static ServiceConfig of(final Map<String, String> overrides) {
        final Map<String, String> merged = new LinkedHashMap<>(DEFAULTS);
        merged.putAll(overrides);
        return from(Settings.of(merged));
    }

    /**
     * Reads and validates every setting.
     *
     * @throws ConfigException naming the first bad key
     */
    public static ServiceConfig from(final Settings s) {
        s.requireNoPassThroughShadowing("kafka.", OWN_KEY_BY_STREAMS_PROPERTY);
        final UpdaterConfig.TopicNames topics = UpdaterConfig.TopicNames.from(s);
        final int maxLimit = s.intValue("query.limit.max", 1, 100_000);
        final long rocksDbBlockCacheBytes = s.longValue("rocksdb.block.cache.bytes", 1 << 20, Long.MAX_VALUE / 2);
        final long rocksDbWriteBufferBytes = s.longValue("rocksdb.write.buffer.bytes", 1 << 20, Long.MAX_VALUE / 2);
        BoundedMemoryRocksDbConfig.requireWriteBuffersWithinBlockCache(rocksDbBlockCacheBytes, rocksDbWriteBufferBytes);
        return new ServiceConfig(s.string("application.id"), s.string("bootstrap.servers"),
                s.string("schema.registry.url"), s.string("state.dir"), s.string("http.host"),
                s.intValue("http.port", 0, 65_535), advertisedAddress(s),
                Duration.ofMillis(s.longValue("forward.timeout.ms", 1, 600_000)),
                s.intValue("retry.after.seconds", 1, 3600),
                s.intValue("recommendations.default.limit", 1, maxLimit), maxLimit, UpdaterConfig.maxIdLength(s),
                // The updater's bounds too: a value one application accepts, the other does not refuse.
                Duration.ofMillis(s.longValue(TRENDING_HALF_LIFE, 1, Long.MAX_VALUE / 2)), itemDimensions(s), topics,
                rocksDbBlockCacheBytes, rocksDbWriteBufferBytes, s);
    }

    /**
     * The length of the updater's item vectors, {@code model.rank} and {@code model.sharing} read by
     * the updater's own parsing, so a value one application accepts the other does not refuse, and
     * a bad one stops the start naming its key. The other hyperparameters are the updater's alone:
     * they take their defaults here, which are valid, so an error can only name one of these two.
     */
    private static int itemDimensions(final Settings s) {
        final Map<String, String> model = new HashMap<>(ModelSettings.defaults());
        model.put(MODEL_RANK, s.string(MODEL_RANK));
        model.put(MODEL_SHARING, s.string(MODEL_SHARING));
        return ModelSettings.from(Settings.of(model)).dimensions();
    }

    /**
     * {@code application.server}, or when unset {@code localhost} at {@code http.port}: a fixed
     * default let two instances on one host given only their own ports advertise the same address,
     * and Kafka Streams then routed every key to one of them (503s, and 404s for users it did not
     * hold). Unset with {@code http.port} 0 (any free port) it cannot be known, so it is required.
     */
    private static HostInfo advertisedAddress(final Settings s) {
        if (s.stringOrNull("application.server") != null) {
            return hostAndPort(s, "application.server");
        }
        final int httpPort = s.intValue("http.port", 0, 65_535);
        if (httpPort == 0) {
            throw new ConfigException("application.server", null,
                    "is required when http.port is 0: other instances must know the port to forward to");
        }
        return new HostInfo("localhost", httpPort);
    }

    /**
     * {@code application.server} as Kafka Streams itself parses it ({@link HostInfo#buildFromEndpoint}),
     * so the address compared with {@code queryMetadataForKey}'s answers is the one Kafka reports: a
     * bracketed IPv6 literal such as {@code [::1]:8080} becomes host {@code ::1}.
     */
    private static HostInfo hostAndPort(final Settings s, final String key) {
        final String text = s.string(key);
        final int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new ConfigException(key, text, "must be host:port");
        }
        final int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (final NumberFormatException e) {
            throw new ConfigException(key, text, "must be host:port with a numeric port");
        }
        if (port < 1 || port > 65_535) {
            throw new ConfigException(key, text, "port must be between 1 and 65535");
        }
        final HostInfo parsed;
        try {
            parsed = HostInfo.buildFromEndpoint(text);
        } catch (final ConfigException e) {
            throw new ConfigException(key, text, "must be host:port, an IPv6 address in brackets: " + e.getMessage());
        }
        if (parsed == null || parsed.port() != port) {
            throw new ConfigException(key, text, "must be host:port, an IPv6 address in brackets");
        }
        if (parsed.host().equals("0.0.0.0") || parsed.host().equals("::")) {
            throw new ConfigException(key, text, "must be an address other instances can reach, not a wildcard");
        }
        // Other instances forward to this address as an http URL, which Kafka Streams does not check:
        // a host java.net.URI refuses (an underscore, as in Compose v1's project_service_1 names)
        // would start fine and make every forward to this instance fail.
        try {
            instanceRoot(parsed.host(), parsed.port());
        } catch (final URISyntaxException e) {
            throw new ConfigException(key, text, "must be a host other instances can put in an http URL "
                    + "(letters, digits, '-' and '.'; no '_'): " + e.getMessage());
        }
        return parsed;
    }

    /**
     * {@code host:port} of an instance as Kafka Streams and URLs want it, with an IPv6 host in
     * brackets; {@link HostInfo#buildFromEndpoint} reads it back to the same host and port.
     */
    public static String endpoint(final HostInfo hostInfo) {
        return Utils.formatAddress(hostInfo.host(), hostInfo.port());
    }

    /** This instance's {@code application.server}, as other instances reach it. */
    public String advertisedEndpoint() {
        return endpoint(advertised);
    }

    /**
     * {@code http://host:port/}, the root other instances forward to: the one way an instance's
     * advertised address becomes a URL, for the start-time check and the forwarder alike. The
     * 7-argument constructor brackets an IPv6 host; parsing the authority refuses a host no URL can
     * hold.
     */
    public static URI instanceRoot(final String host, final int port) throws URISyntaxException {
        return new URI("http", null, host, port, "/", null, null).parseServerAuthority();
    }

    /** A copy with a different HTTP port and advertised address (tests that bind port 0 first). */
    public ServiceConfig withHttp(final int port, final HostInfo advertisedAs) {
        return new ServiceConfig(applicationId, bootstrapServers, schemaRegistryUrl, stateDir, httpHost, port,
                advertisedAs, forwardTimeout, retryAfterSeconds, defaultLimit, maxLimit, maxIdLength, trendingHalfLife,
                itemDimensions, topics, rocksDbBlockCacheBytes, rocksDbWriteBufferBytes, settings);
    }

    /** Settings for the Avro serdes (registry URL plus any {@code serde.} pass-through keys). */
    public Map<String, Object> serdeConfig() {
        final Map<String, Object> serde = settings.withPrefix("serde.");
        serde.put("schema.registry.url", schemaRegistryUrl);
        return serde;
    }

    /** The Kafka Streams properties this configuration implies. */
    public Properties streamsProperties() {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedEndpoint());
        // The service only reads compacted topics and writes nothing, so at-least-once is exact here,
        // and source-topic reuse keeps it from copying every topic into a changelog of its own.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // The updater writes in transactions (exactly_once_v2 by default): read what they committed
        // only, in the main, restore and global consumers alike, as an exactly-once reader would.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        // A corrupt record is the updater's to fix: the read side logs and skips it. A registry that
        // could not answer is not the record's fault: that stops the thread, to retry from the
        // committed offset instead of losing the record (see the handler).
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipCorruptRecordsHandler.class);
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDbConfig.class);
        props.put(BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES, rocksDbBlockCacheBytes);
        props.put(BoundedMemoryRocksDbConfig.WRITE_BUFFER_BYTES, rocksDbWriteBufferBytes);
        props.putAll(settings.withPrefix("kafka."));
        return props;
    }
}
