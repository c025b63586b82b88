package dev.streamrec.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serde's settings, read from the same keys Confluent's Avro serializers use, so a producer or
 * consumer configuration written for Confluent's client carries over unchanged. Keys of our own
 * (timeouts, retries) use the {@code schema.registry.} prefix Confluent uses for client settings.
 *
 * @param registryUrls          {@code schema.registry.url}: comma-separated {@code http(s)://} base URLs,
 *                              or {@code mock://scope}; with {@code basic.auth.credentials.source=URL} (the
 *                              default, as in Confluent's client) a URL's {@code user:password@} is sent as
 *                              its basic auth
 * @param autoRegisterSchemas   {@code auto.register.schemas} (default true): register the writer schema,
 *                              or only look up its id and fail when it is not registered
 * @param specificAvroReader    {@code specific.avro.reader} (default false): decode to generated classes
 * @param basicAuthUserInfo     {@code basic.auth.user.info} ({@code user:password}) when
 *                              {@code basic.auth.credentials.source=USER_INFO}, else null (credentials, if
 *                              any, come from each URL)
 * @param requestTimeout        {@code schema.registry.request.timeout.ms} (default 10 s)
 * @param maxRetries            {@code schema.registry.max.retries} on 5xx or connection errors (default 3)
 * @param retryBackoff          {@code schema.registry.retry.backoff.ms}, doubled per retry (default 100 ms)
 * @param tls                   {@code schema.registry.ssl.*} trust and key stores, or {@link TlsSettings#NONE}
 */
public record SerdeConfig(String registryUrls,
                          boolean autoRegisterSchemas,
                          boolean specificAvroReader,
                          String basicAuthUserInfo,
                          Duration requestTimeout,
                          int maxRetries,
                          Duration retryBackoff,
                          TlsSettings tls) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
    public static final String MAX_RETRIES = "schema.registry.max.retries";
    public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";

    /** Trust and key stores for {@code https://} registries; null locations mean the JVM defaults. */
    public record TlsSettings(String truststoreLocation, String truststorePassword, String truststoreType,
                              String keystoreLocation, String keystorePassword, String keystoreType,
                              String keyPassword) {
        public static final TlsSettings NONE = new TlsSettings(null, null, "JKS", null, null, "JKS", null);

        public boolean isConfigured() {
            return truststoreLocation != null || keystoreLocation != null;
        }
    }

    /**
     * Reads and validates the settings.
     *
     * @throws ConfigException naming the key when a value is missing or malformed
     */
    public static SerdeConfig from(final Map<String, ?> configs) {
        final String url = string(configs, SCHEMA_REGISTRY_URL, null);
        if (url == null || url.isBlank()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, url, "is required: the schema registry's base URL(s), or mock://scope");
        }
        requireHttpUrls(url.trim());
        final String credentialsSource = string(configs, BASIC_AUTH_CREDENTIALS_SOURCE, "URL");
        String userInfo = null;
        if ("USER_INFO".equalsIgnoreCase(credentialsSource)) {
            userInfo = string(configs, BASIC_AUTH_USER_INFO, null);
            if (userInfo == null || !userInfo.contains(":")) {
                throw new ConfigException(BASIC_AUTH_USER_INFO, "<hidden>", "must be user:password when "
                        + BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO");
            }
        } else if (!"URL".equalsIgnoreCase(credentialsSource)) {
            throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, credentialsSource, "supported values: USER_INFO, URL");
        }
        final TlsSettings tls = new TlsSettings(
                string(configs, SSL_TRUSTSTORE_LOCATION, null), string(configs, SSL_TRUSTSTORE_PASSWORD, null),
                string(configs, SSL_TRUSTSTORE_TYPE, "JKS"), string(configs, SSL_KEYSTORE_LOCATION, null),
                string(configs, SSL_KEYSTORE_PASSWORD, null), string(configs, SSL_KEYSTORE_TYPE, "JKS"),
                string(configs, SSL_KEY_PASSWORD, null));
        return new SerdeConfig(url.trim(),
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                bool(configs, SPECIFIC_AVRO_READER, false),
                userInfo,
                Duration.ofMillis(positiveLong(configs, REQUEST_TIMEOUT_MS, 10_000)),
                (int) nonNegativeLong(configs, MAX_RETRIES, 3),
                Duration.ofMillis(positiveLong(configs, RETRY_BACKOFF_MS, 100)),
                tls);
    }

    /** True for {@code mock://scope} URLs. */
    public boolean isMock() {
        return registryUrls.startsWith(InMemorySchemaRegistry.MOCK_URL_PREFIX);
    }

    /** The base URLs of an HTTP registry, blanks between commas dropped. */
    static List<String> urlList(final String registryUrls) {
        return Arrays.stream(registryUrls.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Checks every URL now: a malformed one (say {@code localhost:8081}) would otherwise pass and
     * fail at the first record with a URI error that names no key.
     */
    private static void requireHttpUrls(final String registryUrls) {
        if (registryUrls.startsWith(InMemorySchemaRegistry.MOCK_URL_PREFIX)) {
            return;
        }
        final List<String> urls = urlList(registryUrls);
        if (urls.isEmpty()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, registryUrls, "lists no URL");
        }
        for (final String url : urls) {
            final URI uri;
            try {
                uri = new URI(url);
            } catch (final URISyntaxException e) {
                throw new ConfigException(SCHEMA_REGISTRY_URL, withoutPassword(url), "is not a URL: " + e.getReason());
            }
            final String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                throw new ConfigException(SCHEMA_REGISTRY_URL, withoutPassword(url),
                        "must be http:// or https:// URLs with a host name (comma-separated), or mock://scope");
            }
        }
    }

    /** The URL for an error message: its user info may hold a password. */
    private static String withoutPassword(final String url) {
        return url.replaceFirst("//[^/@]*@", "//<hidden>@");
    }

    private static String string(final Map<String, ?> configs, final String key, final String fallback) {
        final Object value = configs.get(key);
        return value == null ? fallback : value.toString();
    }

    private static boolean bool(final Map<String, ?> configs, final String key, final boolean fallback) {
        final Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        final String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(key, value, "must be true or false");
    }

    private static long positiveLong(final Map<String, ?> configs, final String key, final long fallback) {
        final long value = nonNegativeLong(configs, key, fallback);
        if (value == 0) {
            throw new ConfigException(key, value, "must be greater than 0");
        }
        return value;
    }

    private static long nonNegativeLong(final Map<String, ?> configs, final String key, final long fallback) {
        final Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        final long parsed;
        try {
            parsed = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (final NumberFormatException e) {
            throw new ConfigException(key, value, "must be a whole number");
        }
        if (parsed < 0) {
            throw new ConfigException(key, value, "must not be negative");
        }
        return parsed;
    }
}
