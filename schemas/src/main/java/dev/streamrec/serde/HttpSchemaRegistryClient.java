package dev.streamrec.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to a schema registry over Confluent's REST API (v1 media type), which Confluent Schema
 * Registry and Apicurio's {@code /apis/ccompat/v7} both serve.
 *
 * <p>Failure policy: a 4xx answer is final and raised at once as a {@link SchemaRegistryException}
 * carrying the registry's {@code error_code}; a 5xx answer, a timeout or a connection error is
 * retried up to {@code maxRetries} times with exponential backoff, moving to the next URL of the
 * list each time, and then raised with the last cause. A 409 on registration is answered by a
 * lookup first (see {@link #register}). No caching here: see
 * {@link CachingSchemaRegistryClient}.
 *
 * <p>Basic auth: {@code basic.auth.user.info} for every URL when
 * {@code basic.auth.credentials.source=USER_INFO}, else (source {@code URL}, the default) the
 * {@code user:password@} of each URL, as Confluent's client does. User info is taken out of the
 * URLs either way, so it is never sent in a request line nor logged.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
    private static final String MEDIA_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Endpoint> endpoints;
    private final SerdeConfig config;
    private final HttpClient http;

    public HttpSchemaRegistryClient(final SerdeConfig config) {
        this.config = config;
        this.endpoints = SerdeConfig.urlList(config.registryUrls()).stream()
                .map(url -> Endpoint.of(url, config.basicAuthUserInfo()))
                .toList();
        final HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(config.requestTimeout())
                .version(HttpClient.Version.HTTP_1_1);
        if (config.tls().isConfigured()) {
            builder.sslContext(sslContext(config.tls()));
        }
        this.http = builder.build();
    }

    /** A base URL without user info, and the Authorization header to send to it (null for none). */
    private record Endpoint(String baseUrl, String authorization) {
        static Endpoint of(final String url, final String configuredUserInfo) {
            final URI uri = URI.create(url); // SerdeConfig has checked it parses
            final String rawUserInfo = uri.getRawUserInfo();
            final int at = rawUserInfo == null ? -1 : url.indexOf(rawUserInfo + "@");
            final String withoutUserInfo = at < 0 ? url : url.substring(0, at) + url.substring(at + rawUserInfo.length() + 1);
            final String base = withoutUserInfo.endsWith("/")
                    ? withoutUserInfo.substring(0, withoutUserInfo.length() - 1) : withoutUserInfo;
            final String userInfo = configuredUserInfo != null ? configuredUserInfo : uri.getUserInfo();
            return new Endpoint(base, userInfo == null ? null
                    : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String toString() {
            return baseUrl; // in messages and logs: never the credentials
        }
    }

    @Override
    public int register(final String subject, final Schema schema) {
        final String path = "/subjects/" + encode(subject) + "/versions";
        final JsonNode answer;
        try {
            answer = call("POST", path, schemaBody(schema), subject);
        } catch (final SchemaRegistryException refused) {
            if (refused.httpStatus() != 409) {
                throw refused;
            }
            // 409 is either an incompatible schema (Confluent) or, from Apicurio's ccompat API, a
            // lost race: two clients (say two stream threads) registered the subject's first
            // version at the same moment and the loser is told the artifact already exists. The
            // schema is then registered, so look it up; an incompatible one is not found and the
            // original answer stands.
            try {
                return idOf(subject, schema);
            } catch (final SchemaRegistryException notThere) {
                refused.addSuppressed(notThere);
                throw refused;
            }
        }
        return idIn(answer, path, subject);
    }

    @Override
    public int idOf(final String subject, final Schema schema) {
        final String path = "/subjects/" + encode(subject);
        return idIn(call("POST", path, schemaBody(schema), subject), path, subject);
    }

    /**
     * The {@code id} of a successful answer. Jackson would read a missing or malformed one as 0,
     * which the serializer would then write into every record as a schema id nobody can resolve.
     */
    private static int idIn(final JsonNode answer, final String path, final String subject) {
        final JsonNode id = answer.path("id");
        if (!id.isIntegralNumber() || !id.canConvertToInt()) {
            throw new SchemaRegistryException("Registry answered POST " + path + " without a schema id: " + answer,
                    subject, 200, -1, null);
        }
        return id.intValue();
    }

    @Override
    public Schema schemaById(final int id) {
        final JsonNode answer = call("GET", "/schemas/ids/" + id, null, "id:" + id);
        final String text = answer.path("schema").asText(null);
        if (text == null) {
            throw new SchemaRegistryException("Registry answered without a schema for id " + id, "id:" + id, 200, -1, null);
        }
        return new Schema.Parser().parse(text);
    }

    /**
     * Fails unless {@code GET /subjects} answers a JSON list, as every schema registry does: see
     * {@link SchemaRegistryClients#requireRegistryAt}.
     *
     * @throws ConfigException naming {@code schema.registry.url} and the base URLs (no credentials)
     */
    void requireRegistryApi() {
        final JsonNode subjects;
        try {
            subjects = call("GET", "/subjects", null, null);
        } catch (final SchemaRegistryException e) {
            throw new ConfigException(SerdeConfig.SCHEMA_REGISTRY_URL, endpoints.toString(), "GET /subjects failed, so no "
                    + "schema registry answers there (is it running, and is the URL its API's base, e.g. Apicurio's "
                    + ".../apis/ccompat/v7?): " + e.getMessage());
        }
        if (!subjects.isArray()) {
            final String answer = subjects.toString();
            throw new ConfigException(SerdeConfig.SCHEMA_REGISTRY_URL, endpoints.toString(), "GET /subjects answered "
                    + (answer.length() > 200 ? answer.substring(0, 200) + "..." : answer) + ", not a list of subjects: "
                    + "the URL is not a schema registry API's base (Apicurio's is .../apis/ccompat/v7)");
        }
    }

    private static String schemaBody(final Schema schema) {
        try {
            return JSON.writeValueAsString(Map.of("schema", schema.toString()));
        } catch (final IOException e) {
            throw new IllegalStateException("Cannot encode schema as JSON", e);
        }
    }

    private static String encode(final String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode call(final String method, final String path, final String body, final String subject) {
        Exception lastCause = null;
        int lastStatus = -1;
        int lastErrorCode = -1;
        long backoffMs = config.retryBackoff().toMillis();
        for (int attempt = 0; attempt <= config.maxRetries(); attempt++) {
            final Endpoint endpoint = endpoints.get(attempt % endpoints.size());
            final String base = endpoint.baseUrl();
            final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(config.requestTimeout())
                    .header("Accept", MEDIA_TYPE);
            if (endpoint.authorization() != null) {
                request.header("Authorization", endpoint.authorization());
            }
            if (body == null) {
                request.GET();
            } else {
                request.header("Content-Type", MEDIA_TYPE)
                        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            }
            try {
                final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                final int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return JSON.readTree(response.body());
                }
                final JsonNode error = parseQuietly(response.body());
                final int errorCode = error.path("error_code").asInt(-1);
                final String message = error.path("message").asText(response.body());
                if (status < 500) {
                    throw new SchemaRegistryException(method + " " + path + " refused: " + message, subject, status, errorCode, null);
                }
                lastStatus = status;
                lastErrorCode = errorCode;
                lastCause = new IOException("HTTP " + status + ": " + message);
            } catch (final IOException e) {
                lastCause = e;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("Interrupted calling the registry", subject, -1, -1, e);
            }
            if (attempt < config.maxRetries()) {
                LOG.warn("Schema registry {} {}{} failed (attempt {} of {}): {}; retrying in {} ms",
                        method, base, path, attempt + 1, config.maxRetries() + 1, lastCause.toString(), backoffMs);
                sleep(backoffMs, subject);
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
        throw new SchemaRegistryException("Schema registry unavailable after " + (config.maxRetries() + 1)
                + " attempts at " + endpoints + ": " + lastCause, subject, lastStatus, lastErrorCode, lastCause);
    }

    private static void sleep(final long millis, final String subject) {
        try {
            Thread.sleep(millis); // backoff between retries of a failed request, not a wait for a condition
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while backing off", subject, -1, -1, e);
        }
    }

    private static JsonNode parseQuietly(final String body) {
        try {
            return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (final IOException e) {
            return JSON.createObjectNode();
        }
    }

    private static SSLContext sslContext(final SerdeConfig.TlsSettings tls) {
        try {
            TrustManagerFactory trust = null;
            if (tls.truststoreLocation() != null) {
                trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(load(tls.truststoreLocation(), tls.truststorePassword(), tls.truststoreType(),
                        SerdeConfig.SSL_TRUSTSTORE_LOCATION));
            }
            KeyManagerFactory keys = null;
            if (tls.keystoreLocation() != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                final String keyPassword = tls.keyPassword() != null ? tls.keyPassword() : tls.keystorePassword();
                keys.init(load(tls.keystoreLocation(), tls.keystorePassword(), tls.keystoreType(),
                        SerdeConfig.SSL_KEYSTORE_LOCATION), keyPassword == null ? null : keyPassword.toCharArray());
            }
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context;
        } catch (final GeneralSecurityException e) {
            throw new ConfigException("schema.registry.ssl.*", "<hidden>", "cannot build a TLS context: " + e.getMessage());
        }
    }

    private static KeyStore load(final String location, final String password, final String type, final String key) {
        try (InputStream in = new FileInputStream(location)) {
            final KeyStore store = KeyStore.getInstance(type);
            store.load(in, password == null ? null : password.toCharArray());
            return store;
        } catch (final IOException | GeneralSecurityException e) {
            throw new ConfigException(key, location, "cannot be read as a " + type + " store: " + e.getMessage());
        }
    }
}
