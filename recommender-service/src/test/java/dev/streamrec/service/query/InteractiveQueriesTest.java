package dev.streamrec.service.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.Recommendations;
import dev.streamrec.service.config.ServiceConfig;
import dev.streamrec.service.items.MatrixItemVectors;
import dev.streamrec.service.quality.ModelQuality;
import dev.streamrec.service.topology.ServiceTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link InteractiveQueries} over a real {@link KafkaStreams} that is never started (no broker):
 * either as it is, or with its metadata and store look-ups answered by the test.
 */
class InteractiveQueriesTest {
    @TempDir
    Path stateDir;

    private KafkaStreams streams;

    @AfterEach
    void close() {
        if (streams != null) {
            streams.close(Duration.ofSeconds(5));
        }
    }

    private ServiceConfig config(final String applicationServer) {
        return ServiceConfig.of(Map.of("schema.registry.url", "mock://interactive-queries-" + UUID.randomUUID(),
                "state.dir", stateDir.toString(), "application.id", "interactive-queries-test",
                "bootstrap.servers", "127.0.0.1:1", "application.server", applicationServer));
    }

    /** Kafka Streams whose key metadata and store are the test's. */
    private KafkaStreams scripted(final ServiceConfig config, final KeyQueryMetadata metadata,
                                  final Function<StoreQueryParameters<?>, Object> store) {
        return new KafkaStreams(ServiceTopology.build(config, new MatrixItemVectors(0), new ModelQuality()),
                config.streamsProperties()) {
            @Override
            public <K> KeyQueryMetadata queryMetadataForKey(final String storeName, final K key,
                                                            final Serializer<K> keySerializer) {
                return metadata;
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T store(final StoreQueryParameters<T> parameters) {
                return (T) store.apply(parameters);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static ReadOnlyKeyValueStore<String, Recommendations> emptyStore() {
        return (ReadOnlyKeyValueStore<String, Recommendations>) java.lang.reflect.Proxy.newProxyInstance(
                InteractiveQueriesTest.class.getClassLoader(), new Class<?>[] {ReadOnlyKeyValueStore.class},
                (proxy, method, args) -> null);
    }

    /**
     * Kafka reports the owner of a key as {@code application.server} parsed by
     * {@link HostInfo#buildFromEndpoint}; a bracketed IPv6 address must still be recognised as this
     * instance, not forwarded to itself.
     */
    @Test
    void aKeyOwnedHereIsReadHereWhenTheAdvertisedAddressIsABracketedIpv6Literal() {
        final ServiceConfig config = config("[::1]:8080");
        final HostInfo asKafkaReportsIt = HostInfo.buildFromEndpoint(
                (String) config.streamsProperties().get("application.server"));
        assertThat(asKafkaReportsIt).isEqualTo(new HostInfo("::1", 8080));
        streams = scripted(config, new KeyQueryMetadata(asKafkaReportsIt, Set.of(), 0), p -> emptyStore());

        final InteractiveQueries queries = new InteractiveQueries(streams, config.advertised(), new MatrixItemVectors(0));
        assertThat(queries.recommendations("u1", ReadMode.ACTIVE_ONLY)).isInstanceOf(Lookup.Absent.class);
    }
}
