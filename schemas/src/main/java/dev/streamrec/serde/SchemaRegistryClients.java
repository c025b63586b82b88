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
     * Checks, at an application's start, that {@code schema.registry.url} serves a schema
     * registry's REST API (Confluent's; Apicurio's at {@code /apis/ccompat/v7}): one
     * {@code GET /subjects}, with the client's retries, must answer a list. A URL that does not
     * (a wrong base path, a proxy, a web server; or no registry answering at all) otherwise showed
     * only at the first record, as a stopped application or records set aside, long after the
     * start looked fine. {@code mock://} is not checked.
     *
     * @throws ConfigException naming {@code schema.registry.url}
     */
    public static void requireRegistryAt(final Map<String, ?> serdeConfig) {
        final SerdeConfig config = SerdeConfig.from(serdeConfig);
        if (!config.isMock()) {
            new HttpSchemaRegistryClient(config).requireRegistryApi();
        }
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
