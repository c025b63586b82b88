package dev.streamrec.service.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
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

    private static MatrixItemVectors itemVectors(final ServiceConfig config) {
        return new MatrixItemVectors(config.itemDimensions(), 0, config.trendingHalfLife());
    }

    /** Kafka Streams whose key metadata, store and state are the test's. */
    private KafkaStreams scripted(final ServiceConfig config, final Supplier<KeyQueryMetadata> metadata,
                                  final Function<StoreQueryParameters<?>, Object> store,
                                  final Supplier<KafkaStreams.State> scriptedState) {
        return new KafkaStreams(ServiceTopology.build(config, itemVectors(config), new ModelQuality()),
                config.streamsProperties()) {
            @Override
            public <K> KeyQueryMetadata queryMetadataForKey(final String storeName, final K key,
                                                            final Serializer<K> keySerializer) {
                return metadata.get();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T store(final StoreQueryParameters<T> parameters) {
                return (T) store.apply(parameters);
            }

            @Override
            public State state() {
                final State scripted = scriptedState.get();
                return scripted == null ? super.state() : scripted;
            }
        };
    }

    private static KeyQueryMetadata ownedBy(final HostInfo host) {
        return new KeyQueryMetadata(host, Set.of(), 0);
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
        streams = scripted(config, () -> ownedBy(asKafkaReportsIt), p -> emptyStore(), () -> null);

        final InteractiveQueries queries = new InteractiveQueries(streams, config.advertised(), itemVectors(config));
        assertThat(queries.recommendations("u1", ReadMode.ACTIVE_ONLY)).isInstanceOf(Lookup.Absent.class);
    }

    @Test
    void beforeStartAKeyedReadIsUnavailableNotAnError() {
        final ServiceConfig config = config("localhost:8080");
        streams = new KafkaStreams(ServiceTopology.build(config, itemVectors(config), new ModelQuality()),
                config.streamsProperties());
        final InteractiveQueries queries = new InteractiveQueries(streams, config.advertised(), itemVectors(config));
        assertThat(queries.recommendations("u1", ReadMode.ACTIVE_ONLY)).isInstanceOf(Lookup.Unavailable.class);
        assertThat(queries.profile("u1", ReadMode.ALLOW_STALE)).isInstanceOf(Lookup.Unavailable.class);
    }

    @Test
    void beforeStartTheInstanceListIsUnavailableNotAnError() {
        final ServiceConfig config = config("localhost:8080");
        streams = new KafkaStreams(ServiceTopology.build(config, itemVectors(config), new ModelQuality()),
                config.streamsProperties());
        final InteractiveQueries queries = new InteractiveQueries(streams, config.advertised(), itemVectors(config));
        assertThatThrownBy(queries::instances).isInstanceOf(QueryUnavailableException.class).hasMessageContaining("CREATED");
    }

    @Test
    void illegalStateFromEitherLookUpIsUnavailable() {
        final ServiceConfig config = config("localhost:8080");
        final HostInfo self = config.advertised();
        final AtomicBoolean metadataFails = new AtomicBoolean(true);
        streams = scripted(config, () -> {
            if (metadataFails.get()) {
                throw new IllegalStateException("KafkaStreams is not running. State is PENDING_SHUTDOWN.");
            }
            return ownedBy(self);
        }, p -> {
            throw new IllegalStateException("KafkaStreams is not running. State is PENDING_SHUTDOWN.");
        }, () -> null);
        final InteractiveQueries queries = new InteractiveQueries(streams, self, itemVectors(config));
        assertThat(queries.recommendations("u1", ReadMode.ACTIVE_ONLY)).isInstanceOf(Lookup.Unavailable.class);
        metadataFails.set(false);
        assertThat(queries.recommendations("u1", ReadMode.ACTIVE_ONLY)).isInstanceOf(Lookup.Unavailable.class);
        assertThat(queries.profile("u1", ReadMode.ACTIVE_ONLY)).isInstanceOf(Lookup.Unavailable.class);
    }

    @Test
    void aliveUnlessKafkaStreamsHasFailedOrStopped() {
        final ServiceConfig config = config("localhost:8080");
        final AtomicReference<KafkaStreams.State> state = new AtomicReference<>();
        streams = scripted(config, () -> ownedBy(config.advertised()), p -> emptyStore(), state::get);
        final InteractiveQueries queries = new InteractiveQueries(streams, config.advertised(), itemVectors(config));
        assertThat(queries.alive()).as("CREATED").isTrue();
        for (final KafkaStreams.State s : KafkaStreams.State.values()) {
            state.set(s);
            final boolean expected = s != KafkaStreams.State.ERROR && s != KafkaStreams.State.PENDING_ERROR
                    && s != KafkaStreams.State.NOT_RUNNING;
            assertThat(queries.alive()).as(s.name()).isEqualTo(expected);
        }
        state.set(null);
        streams.close(Duration.ofSeconds(5));
        assertThat(queries.alive()).as("closed: %s", streams.state()).isFalse();
    }
}
