package dev.streamrec.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Picks the client for a configuration: the shared in-memory registry for {@code mock://scope},
 * else HTTP; both behind a cache. Clients are shared per configuration within a JVM, as a Kafka
 * Streams application creates many serde instances (one per topic and per task) that should not
 * each pay one registry round trip per schema.
 */
public final class SchemaRegistryClients {
    private static final Map<SerdeConfig, SchemaRegistryClient> SHARED = new ConcurrentHashMap<>();

    private SchemaRegistryClients() {
    }

    /** The shared, caching client for {@code config}. */
    public static SchemaRegistryClient forConfig(final SerdeConfig config) {
        return SHARED.computeIfAbsent(config, SchemaRegistryClients::create);
    }

    /** A new, caching client for {@code config}, shared with nobody (tests that count calls). */
    public static SchemaRegistryClient create(final SerdeConfig config) {
        if (config.isMock()) {
            return new CachingSchemaRegistryClient(InMemorySchemaRegistry.forScope(mockScope(config)));
        }
        return new CachingSchemaRegistryClient(new HttpSchemaRegistryClient(config));
    }

    /**
     * Forgets the shared clients of {@code mock://scope}: they hold the dropped registry and ids
     * cached from it, so serdes configured afterwards would keep writing to it and not see the
     * scope's new one. Called by {@link InMemorySchemaRegistry#dropScope}.
     */
    static void dropMockScope(final String scope) {
        SHARED.keySet().removeIf(config -> config.isMock() && mockScope(config).equals(scope));
    }

    private static String mockScope(final SerdeConfig config) {
        return config.registryUrls().substring(InMemorySchemaRegistry.MOCK_URL_PREFIX.length());
    }
}
