package dev.streamrec.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.updater.config.Settings;
import dev.streamrec.updater.config.UpdaterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigTest {
    private static final String TRENDING_HALF_LIFE = "recommendations.trending.half.life.ms";
    private static final String MODEL_RANK = "model.rank";
    private static final String MODEL_SHARING = "model.sharing";
    private static final String ID_MAX_LENGTH = "validation.id.max.length";

    @Test
    void aPassThroughKeyMayNotOverrideOneOfTheServicesOwn() {
        for (final String key : List.of("application.id", "bootstrap.servers", "state.dir", "application.server")) {
            assertThatThrownBy(() -> ServiceConfig.of(Map.of("kafka." + key, "x")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("kafka." + key).hasMessageContaining("set " + key);
        }
    }

    /** As in the updater: the RocksDB keys set Streams properties a pass-through must not override. */
    @Test
    void aPassThroughKeyMayNotOverrideTheRocksDbMemoryBoundsEither() {
        for (final String own : List.of("rocksdb.block.cache.bytes", "rocksdb.write.buffer.bytes")) {
            assertThatThrownBy(() -> ServiceConfig.of(Map.of("kafka.streamrec." + own, "1048576")))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.streamrec." + own)
                    .hasMessageContaining("set " + own);
        }
        assertThatThrownBy(() -> ServiceConfig.of(Map.of("rocksdb.block.cache.bytes", String.valueOf(8L << 20),
                "rocksdb.write.buffer.bytes", String.valueOf(16L << 20))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("rocksdb.write.buffer.bytes")
                .hasMessageContaining("rocksdb.block.cache.bytes");
    }

    @Test
    void defaultsAreValidAndShareTheUpdatersTopicNames() {
        final ServiceConfig config = ServiceConfig.of(Map.of());
        assertThat(config.applicationId()).isEqualTo("streamrec-recommender-service");
        assertThat(config.advertised()).isEqualTo(new HostInfo("localhost", 8080));
        assertThat(config.topics()).isEqualTo(UpdaterConfig.of(Map.of()).topics());
        assertThat(config.forwardTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    /** Both applications read one properties file or environment: one key, one default, for one decay. */
    @Test
    void theTrendingHalfLifeIsTheUpdatersKeyWithTheUpdatersDefault() {
        assertThat(ServiceConfig.DEFAULTS).containsEntry(TRENDING_HALF_LIFE,
                UpdaterConfig.DEFAULTS.get(TRENDING_HALF_LIFE));
        assertThat(ServiceConfig.of(Map.of()).trendingHalfLife())
                .isEqualTo(UpdaterConfig.of(Map.of()).recommendations().trendingHalfLife());
    }

    @Test
    void aBadTrendingHalfLifeStopsTheStartNamingTheKey() {
        for (final String bad : new String[] {"0", "-1", "six hours", ""}) {
            assertThatThrownBy(() -> ServiceConfig.of(Map.of(TRENDING_HALF_LIFE, bad))).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining(TRENDING_HALF_LIFE);
        }
    }

    /**
     * The similar-items matrix is as wide as the updater's item vectors: one key, one default, one
     * reading for both applications, or the service would skip every vector the updater publishes.
     */
    @Test
    void theModelSizeIsTheUpdatersKeysWithTheUpdatersDefaults() {
        for (final String key : new String[] {MODEL_RANK, MODEL_SHARING}) {
            assertThat(ServiceConfig.DEFAULTS).containsEntry(key, UpdaterConfig.DEFAULTS.get(key));
        }
        assertThat(ServiceConfig.of(Map.of()).itemDimensions())
                .isEqualTo(UpdaterConfig.of(Map.of()).model().dimensions());
        final Map<String, String> changed = Map.of(MODEL_RANK, "8", MODEL_SHARING, "shared");
        assertThat(ServiceConfig.of(changed).itemDimensions())
                .isEqualTo(UpdaterConfig.of(changed).model().dimensions()).isEqualTo(8);
    }

    /**
     * The service answers for exactly the ids the updater keeps: one key, one default, one reading,
     * or a user the updater profiles could be refused (or an id it refuses looked up).
     */
    @Test
    void theIdLengthLimitIsTheUpdatersKeyWithTheUpdatersDefaultAndBounds() {
        assertThat(ServiceConfig.DEFAULTS).containsEntry(ID_MAX_LENGTH, UpdaterConfig.DEFAULTS.get(ID_MAX_LENGTH));
        assertThat(ServiceConfig.of(Map.of()).maxIdLength())
                .isEqualTo(UpdaterConfig.of(Map.of()).validation().maxIdLength());
        assertThat(ServiceConfig.of(Map.of(ID_MAX_LENGTH, "300")).maxIdLength())
                .isEqualTo(UpdaterConfig.of(Map.of(ID_MAX_LENGTH, "300")).validation().maxIdLength()).isEqualTo(300);
        for (final String bad : new String[] {"0", "10001", "many", ""}) {
            assertThatThrownBy(() -> UpdaterConfig.of(Map.of(ID_MAX_LENGTH, bad))).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining(ID_MAX_LENGTH);
            assertThatThrownBy(() -> ServiceConfig.of(Map.of(ID_MAX_LENGTH, bad))).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining(ID_MAX_LENGTH);
        }
    }

    @Test
    void aBadModelRankOrSharingStopsTheStartNamingTheKey() {
        for (final String bad : new String[] {"0", "-1", "1025", "thirty-two", ""}) {
            assertThatThrownBy(() -> ServiceConfig.of(Map.of(MODEL_RANK, bad))).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining(MODEL_RANK);
        }
        assertThatThrownBy(() -> ServiceConfig.of(Map.of(MODEL_SHARING, "halves")))
                .isInstanceOf(ConfigException.class).hasMessageContaining(MODEL_SHARING);
    }

    @Test
    void streamsPropertiesAdvertiseTheHttpAddressAndPassKafkaKeysThrough() {
        final Properties props = ServiceConfig.of(Map.of("application.server", "svc-1.internal:9000",
                "kafka.num.standby.replicas", "1")).streamsProperties();
        assertThat(props.get(StreamsConfig.APPLICATION_SERVER_CONFIG)).isEqualTo("svc-1.internal:9000");
        assertThat(props.get("num.standby.replicas")).isEqualTo("1");
        assertThat(props.get(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG))
                .isEqualTo(StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
    }

    /**
     * Two instances on one host configured with only their own {@code http.port} must not both
     * advertise the default port: Kafka Streams would route every key to one address, answered 503
     * by the other instance and 404 for users it does not hold.
     */
    @Test
    void theAdvertisedAddressFollowsTheHttpPortUnlessSet() {
        assertThat(ServiceConfig.of(Map.of("http.port", "18102")).advertised()).isEqualTo(new HostInfo("localhost", 18102));
        assertThat(ServiceConfig.of(Map.of("http.port", "18102", "application.server", "svc-2:9000")).advertised())
                .isEqualTo(new HostInfo("svc-2", 9000));
        assertThatThrownBy(() -> ServiceConfig.of(Map.of("http.port", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("application.server");
    }

    /**
     * The updater writes its outputs in transactions (exactly_once_v2 by default): the service, an
     * at-least-once reader of them, must not store and serve records of aborted transactions, in
     * its main, restore or global consumers.
     */
    @Test
    void everyConsumerReadsOnlyCommittedRecords() {
        final StreamsConfig streams = new StreamsConfig(ServiceConfig.of(Map.of()).streamsProperties());
        for (final Map<String, Object> consumer : List.of(streams.getMainConsumerConfigs("g", "c", 0),
                streams.getRestoreConsumerConfigs("c"), streams.getGlobalConsumerConfigs("c"))) {
            assertThat(consumer.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
        }
    }

    @Test
    void theAdvertisedAddressIsParsedTheWayKafkaStreamsParsesIt() {
        for (final String server : new String[] {"[::1]:8080", "svc-1.internal:9000", "10.0.0.7:80"}) {
            final ServiceConfig config = ServiceConfig.of(Map.of("application.server", server));
            final Object sentToKafka = config.streamsProperties().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
            assertThat(sentToKafka).isEqualTo(server);
            assertThat(config.advertised()).as(server).isEqualTo(HostInfo.buildFromEndpoint(server));
            assertThat(config.advertisedEndpoint()).isEqualTo(server);
        }
        assertThat(ServiceConfig.of(Map.of("application.server", "[::1]:8080")).advertised())
                .isEqualTo(new HostInfo("::1", 8080));
        assertThatThrownBy(() -> ServiceConfig.of(Map.of("application.server", "[::]:8080")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("application.server");
    }

    /**
     * Other instances forward to this address as a URL; a host {@link java.net.URI} cannot parse
     * (an underscore, as in Compose v1's {@code project_service_1} names) made every forward to the
     * instance a 500, so it stops the start instead.
     */
    @Test
    void anAdvertisedHostThatCannotBeAUrlHostStopsTheStartNamingTheKey() {
        for (final String server : new String[] {"recommender_service_1:8080", "svc.my_net:80", "a%b:8080"}) {
            assertThatThrownBy(() -> ServiceConfig.of(Map.of("application.server", server))).as(server)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("application.server")
                    .hasMessageContaining("URL");
        }
        assertThat(ServiceConfig.of(Map.of("application.server", "recommender-service-1:8080")).advertised())
                .isEqualTo(new HostInfo("recommender-service-1", 8080));
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> ServiceConfig.of(Map.of("http.port", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.port");
        assertThatThrownBy(() -> ServiceConfig.of(Map.of("application.server", "no-port")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("application.server");
        assertThatThrownBy(() -> ServiceConfig.of(Map.of("application.server", "0.0.0.0:8080")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("application.server");
        assertThatThrownBy(() -> ServiceConfig.of(Map.of("application.server", "host:abc")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("application.server");
        assertThatThrownBy(() -> ServiceConfig.of(Map.of("forward.timeout.ms", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("forward.timeout.ms");
        assertThatThrownBy(() -> ServiceConfig.of(Map.of("topic.recommendations", " ")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topic.recommendations");
        assertThatThrownBy(() -> ServiceConfig.of(Map.of("query.limit.max", "10",
                "recommendations.default.limit", "20")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("recommendations.default.limit");
    }

    @Test
    void fileThenEnvironmentOverrideDefaults(@TempDir final Path dir) throws Exception {
        final Path file = dir.resolve("service.properties");
        Files.writeString(file, "http.port=9100\nforward.timeout.ms=500\nmodel.sharing=shared\n");
        final ServiceConfig config = ServiceConfig.from(Settings.load(ServiceConfig.DEFAULTS, file,
                Map.of("STREAMREC_HTTP_PORT", "9200", "STREAMREC_TOPIC_PROFILES", "p.users",
                        "STREAMREC_RECOMMENDATIONS_TRENDING_HALF_LIFE_MS", "60000", "STREAMREC_MODEL_RANK", "12")));
        assertThat(config.httpPort()).isEqualTo(9200);
        assertThat(config.forwardTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.topics().profiles()).isEqualTo("p.users");
        assertThat(config.trendingHalfLife()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.itemDimensions()).isEqualTo(12);
    }
}
