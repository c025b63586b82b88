package dev.streamrec.it.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The shared schema registry, spoken to over plain HTTP with Confluent's REST API and nothing of
 * ours: tests use it to register or fetch schemas independently of the serde under test. Obtain it
 * with {@link ItEnvironment#registry()}. Subjects are global to the run: derive them from
 * {@link UniqueNames} topic names.
 */
public final class TestRegistry {

    /** Confluent's content type; both registries also accept application/json. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String url;
    private final HttpClient http;

    private TestRegistry(final String url) {
        this.url = url;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Connects and sets the global compatibility level to BACKWARD, Confluent's default: Apicurio
     * defaults to NONE, and the tests must see the same rules on either backend.
     */
    static TestRegistry connect(final String url) {
        final TestRegistry registry = new TestRegistry(url);
        registry.setGlobalCompatibility("BACKWARD");
        return registry;
    }

    /** The value for {@code schema.registry.url}. */
    public String url() {
        return url;
    }

    /** Serde configuration pointing at this registry; callers add their own keys. */
    public Map<String, Object> serdeConfig() {
        return Map.of("schema.registry.url", url);
    }

    public void setGlobalCompatibility(final String level) {
        expectOk(send("PUT", "/config", JSON.createObjectNode().put("compatibility", level)));
    }

    public void setSubjectCompatibility(final String subject, final String level) {
        expectOk(send("PUT", "/config/" + encode(subject), JSON.createObjectNode().put("compatibility", level)));
    }

    /** Registers an Avro schema under {@code subject} and returns the id the registry gave it. */
    public int register(final String subject, final String avroSchemaJson) {
        final Response response = send("POST", "/subjects/" + encode(subject) + "/versions",
                JSON.createObjectNode().put("schema", avroSchemaJson));
        return expectOk(response).path("id").asInt();
    }

    /** The schema text stored under {@code id} (GET /schemas/ids/{id}). */
    public String schemaById(final int id) {
        return expectOk(send("GET", "/schemas/ids/" + id, null)).path("schema").asText();
    }

    /**
     * One raw call, for tests that assert on status codes and error bodies themselves.
     *
     * @param body JSON to send, or {@code null} for none
     */
    public Response send(final String method, final String path, final JsonNode body) {
        final HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8);
        final HttpRequest request = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE + ", application/json")
                .method(method, publisher)
                .build();
        try {
            final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            final JsonNode json = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Response(response.statusCode(), json);
        } catch (final IOException e) {
            throw new UncheckedIOException(method + " " + url + path + " failed", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted: " + method + " " + url + path, e);
        }
    }

    private static JsonNode expectOk(final Response response) {
        if (response.status() / 100 != 2) {
            throw new IllegalStateException("Registry answered " + response.status() + ": " + response.body());
        }
        return response.body();
    }

    private static String encode(final String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8);
    }

    /** Status and parsed JSON body of one registry call. */
    public record Response(int status, JsonNode body) {
    }
}
