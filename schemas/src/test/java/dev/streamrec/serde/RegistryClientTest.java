package dev.streamrec.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.RatingEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Client behaviour that a real registry cannot be made to show on demand (5xx, hangs): a small
 * JDK HTTP server plays a registry that answers exactly what each test needs. The happy paths
 * against a real registry are in the integration tests.
 */
class RegistryClientTest {
    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(final Responder responder) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                    + " auth=" + exchange.getRequestHeaders().getFirst("Authorization"));
            responder.respond(exchange, requests.size());
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private interface Responder {
        void respond(HttpExchange exchange, int requestNumber) throws IOException;
    }

    private static void answer(final HttpExchange exchange, final int status, final String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Generous timeout: on a loaded machine a short one turns a slow answer into a retry. */
    private static Map<String, Object> config(final String url) {
        return config(url, 10_000);
    }

    private static Map<String, Object> config(final String url, final int timeoutMs) {
        final Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.SCHEMA_REGISTRY_URL, url);
        config.put(SerdeConfig.REQUEST_TIMEOUT_MS, timeoutMs);
        config.put(SerdeConfig.MAX_RETRIES, 2);
        config.put(SerdeConfig.RETRY_BACKOFF_MS, 10);
        return config;
    }

    @Test
    void registersOncePerSchemaThenServesFromCache() {
        final AtomicInteger registrations = new AtomicInteger();
        final AtomicInteger lookups = new AtomicInteger();
        final InMemorySchemaRegistry backing = InMemorySchemaRegistry.forScope("count-" + UUID.randomUUID());
        final SchemaRegistryClient counting = new SchemaRegistryClient() {
            @Override
            public int register(final String subject, final Schema schema) {
                registrations.incrementAndGet();
                return backing.register(subject, schema);
            }

            @Override
            public int idOf(final String subject, final Schema schema) {
                return backing.idOf(subject, schema);
            }

            @Override
            public Schema schemaById(final int id) {
                lookups.incrementAndGet();
                return backing.schemaById(id);
            }
        };
        final CachingSchemaRegistryClient writerSide = new CachingSchemaRegistryClient(counting);
        final CachingSchemaRegistryClient readerSide = new CachingSchemaRegistryClient(counting);
        final AvroSerializer serializer = new AvroSerializer(writerSide, true, false);
        final AvroDeserializer deserializer = new AvroDeserializer(readerSide, ClickEvent.getClassSchema(), true);

        for (int i = 0; i < 100; i++) {
            final ClickEvent click = ClickEvent.newBuilder().setEventId("e" + i).setUserId("u").setItemId("i")
                    .setEventTime(Instant.ofEpochMilli(i)).build();
            assertThat(deserializer.deserialize("clicks", serializer.serialize("clicks", click))).isEqualTo(click);
        }
        assertThat(registrations).hasValue(1);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void onlyTheRegistrysSchemaNotFoundMakesAnUnknownSchemaNotAnyNotFound() throws IOException {
        // A wrong base path (Apicurio without /apis/ccompat/v7, a proxy) answers 404 to every call:
        // counted as unknown schemas, every record would be dead-lettered or skipped for good.
        final String url = serve((exchange, n) -> answer(exchange, 404, "<html><body>404 Not Found</body></html>"));
        final AvroDeserializer deserializer = new AvroDeserializer();
        deserializer.configure(config(url), false);

        assertThatThrownBy(() -> deserializer.deserialize("events.clicks", new byte[] {0, 0, 0, 0, 1, 2, 'a'}))
                .satisfies(failure -> {
                    final SchemaRegistryException registryError = SchemaRegistryException.in(failure);
                    assertThat(registryError).isNotNull();
                    assertThat(registryError.httpStatus()).isEqualTo(404);
                    assertThat(registryError.isUnknownSchema()).isFalse();
                });
        assertThat(new SchemaRegistryException("Schema 42 not found", "id:42", 404, 40403, null).isUnknownSchema()).isTrue();
        assertThat(new SchemaRegistryException("Subject not found", "s-value", 404, 40401, null).isUnknownSchema())
                .as("a subject missing is the registry's configuration, not the record").isFalse();
    }

    @Test
    void unknownIdRaisesSchemaRegistryExceptionWithStatusAndErrorCode() throws IOException {
        final String url = serve((exchange, n) -> answer(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema 42 not found\"}"));
        final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(SerdeConfig.from(config(url)));

        assertThatThrownBy(() -> client.schemaById(42))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.subject()).isEqualTo("id:42");
                    assertThat(e.getMessage()).contains("Schema 42 not found");
                });
        assertThat(requests).hasSize(1); // a 4xx is final: no retry
    }

    @Test
    void incompatibleSchemaSurfacesSubjectStatusAndCodeThroughTheSerializer() throws IOException {
        final String url = serve((exchange, n) -> answer(exchange, 409,
                "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with an earlier schema\"}"));
        final AvroSerializer serializer = new AvroSerializer();
        serializer.configure(config(url), false);
        final RatingEvent rating = RatingEvent.newBuilder().setEventId("e").setUserId("u").setItemId("i")
                .setEventTime(Instant.EPOCH).setRating(4).build();

        assertThatThrownBy(() -> serializer.serialize("ratings-" + UUID.randomUUID(), rating))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("-value").hasMessageContaining("status=409").hasMessageContaining("incompatible");
    }

    @Test
    void registrationThatLostARaceToTheSameSchemaAnswersWithTheRegisteredId() throws IOException {
        // Apicurio's ccompat API, two threads registering a subject's first version at once.
        final String url = serve((exchange, n) -> {
            if (exchange.getRequestURI().getPath().endsWith("/versions")) {
                answer(exchange, 409, "{\"error_code\":409,\"message\":\"An artifact with ID 's-value' already exists.\"}");
            } else {
                answer(exchange, 200, "{\"subject\":\"s-value\",\"id\":11,\"version\":1}");
            }
        });
        final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(SerdeConfig.from(config(url)));

        assertThat(client.register("s-value", ClickEvent.getClassSchema())).isEqualTo(11);
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1)).startsWith("POST /subjects/s-value ");
    }

    @Test
    void successfulAnswerWithoutAnIdIsARegistryErrorNotIdZero() throws IOException {
        final String url = serve((exchange, n) -> answer(exchange, 200, n == 1 ? "{}" : "{\"id\":\"seven\"}"));
        final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(SerdeConfig.from(config(url)));

        assertThatThrownBy(() -> client.register("s-value", ClickEvent.getClassSchema()))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.subject()).isEqualTo("s-value");
                    assertThat(e.getMessage()).contains("without a schema id");
                });
        assertThatThrownBy(() -> client.idOf("s-value", ClickEvent.getClassSchema()))
                .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("without a schema id");
    }

    @Test
    void idOfANonAvroSchemaIsASerializationExceptionNamingTheId() throws IOException {
        // A Confluent registry holds Protobuf and JSON schemas under the same id space.
        final String url = serve((exchange, n) -> answer(exchange, 200,
                "{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\"; message Click { string id = 1; }\"}"));
        final AvroDeserializer deserializer = new AvroDeserializer();
        deserializer.configure(config(url), false);
        final byte[] framed = {0, 0, 0, 0, 5, 2, 'x'};

        assertThatThrownBy(() -> deserializer.deserialize("clicks", framed))
                .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class)
                .isNotInstanceOf(SchemaRegistryException.class) // a 200 from the registry is no registry failure
                .hasMessageContaining("schema id 5");
    }

    @Test
    void retriesServerErrorsWithBackoffThenSucceeds() throws IOException {
        final String url = serve((exchange, n) -> {
            if (n < 3) {
                answer(exchange, 503, "{\"error_code\":50003,\"message\":\"busy\"}");
            } else {
                answer(exchange, 200, "{\"id\":7}");
            }
        });
        final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(SerdeConfig.from(config(url)));

        assertThat(client.register("s-value", ClickEvent.getClassSchema())).isEqualTo(7);
        assertThat(requests).hasSize(3).allMatch(r -> r.startsWith("POST /subjects/s-value/versions"));
    }

    @Test
    void hangingRegistryTimesOutAfterBoundedRetries() throws IOException {
        final String url = serve((exchange, n) -> {
            try {
                release.await(); // never answers within the client's timeout
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        final HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(SerdeConfig.from(config(url, 300)));

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(-1);
                    assertThat(e.getMessage()).contains("after 3 attempts");
                });
        // The server records a request on its own thread, which a loaded machine may run after the
        // client has given up on it: wait for the third record rather than race it.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (requests.size() < 3 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(requests).hasSize(3);
    }

    @Test
    void sendsBasicAuthWhenConfigured() throws IOException {
        final String url = serve((exchange, n) -> answer(exchange, 200, "{\"schema\":\"\\\"string\\\"\"}"));
        final Map<String, Object> config = config(url);
        config.put(SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO");
        config.put(SerdeConfig.BASIC_AUTH_USER_INFO, "alice:secret");

        assertThat(new HttpSchemaRegistryClient(SerdeConfig.from(config)).schemaById(3).getType()).isEqualTo(Schema.Type.STRING);
        assertThat(requests).singleElement().asString().endsWith("auth=Basic YWxpY2U6c2VjcmV0");
    }

    @Test
    void sendsTheUrlsUserInfoAsBasicAuthByDefault() throws IOException {
        // basic.auth.credentials.source defaults to URL, as in Confluent's client.
        final String url = serve((exchange, n) -> answer(exchange, 200, "{\"schema\":\"\\\"string\\\"\"}"));
        final String withUserInfo = url.replace("http://", "http://alice:secret@");

        assertThat(new HttpSchemaRegistryClient(SerdeConfig.from(config(withUserInfo))).schemaById(3).getType())
                .isEqualTo(Schema.Type.STRING);
        assertThat(requests).singleElement().asString().endsWith("auth=Basic YWxpY2U6c2VjcmV0");
    }

    @Test
    void malformedRegistryUrlIsRefusedAtConfigurationNamingTheKey() {
        for (final String bad : List.of("localhost:8081", "http://", "ftp://registry:8081",
                "http://registry:8081,registry-2:8081", "http://bad host:8081")) {
            assertThatThrownBy(() -> SerdeConfig.from(config(bad))).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining(SerdeConfig.SCHEMA_REGISTRY_URL);
        }
        assertThatThrownBy(() -> SerdeConfig.from(config("ftp://alice:secret@registry")))
                .isInstanceOf(ConfigException.class).hasMessageNotContaining("secret");
        assertThat(SerdeConfig.from(config("http://a:8081, https://b/ ,http://alice:secret@c:8081")).registryUrls())
                .startsWith("http://a:8081");
        assertThat(SerdeConfig.from(config("mock://any-scope")).isMock()).isTrue();
    }

    @Test
    void badConfigurationNamesTheKey() {
        assertThatThrownBy(() -> SerdeConfig.from(Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(SerdeConfig.SCHEMA_REGISTRY_URL);
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://x",
                SerdeConfig.AUTO_REGISTER_SCHEMAS, "maybe"))).hasMessageContaining(SerdeConfig.AUTO_REGISTER_SCHEMAS);
        assertThatThrownBy(() -> SerdeConfig.from(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mock://x",
                SerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO"))).hasMessageContaining(SerdeConfig.BASIC_AUTH_USER_INFO);
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaFailsClearly() {
        final Map<String, Object> config = config("mock://noauto-" + UUID.randomUUID());
        config.put(SerdeConfig.AUTO_REGISTER_SCHEMAS, false);
        final AvroSerializer serializer = new AvroSerializer();
        serializer.configure(config, false);
        final ClickEvent click = ClickEvent.newBuilder().setEventId("e").setUserId("u").setItemId("i")
                .setEventTime(Instant.EPOCH).build();
        assertThatThrownBy(() -> serializer.serialize("clicks", click))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
    }

    @Test
    void eachTopicsSubjectIsRegisteredOrLookedUpEvenWhenTheSchemaIsKnown() {
        final String scope = "subjects-" + UUID.randomUUID();
        final InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(scope);
        final ClickEvent click = ClickEvent.newBuilder().setEventId("e").setUserId("u").setItemId("i")
                .setEventTime(Instant.EPOCH).build();
        final AvroSerializer registering = new AvroSerializer();
        registering.configure(config("mock://" + scope), false);
        registering.serialize("topic-a", click);
        registering.serialize("topic-b", click);
        assertThat(registry.idOf("topic-b-value", ClickEvent.getClassSchema()))
                .isEqualTo(registry.idOf("topic-a-value", ClickEvent.getClassSchema()));

        final Map<String, Object> lookupOnly = config("mock://" + scope);
        lookupOnly.put(SerdeConfig.AUTO_REGISTER_SCHEMAS, false);
        final AvroSerializer serializer = new AvroSerializer();
        serializer.configure(lookupOnly, false);
        serializer.serialize("topic-a", click);
        assertThatThrownBy(() -> serializer.serialize("topic-c", click))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.subject()).isEqualTo("topic-c-value");
                    assertThat(e.errorCode()).isEqualTo(40401);
                });
    }

    /**
     * A URL that is not a registry's base (Apicurio without {@code /apis/ccompat/v7}, a proxy, a
     * web server) must stop the start naming {@code schema.registry.url}: found at the first
     * record instead, the reader set records aside or stopped long after the start looked fine.
     */
    @Test
    void aUrlThatDoesNotServeTheRegistryApiIsRefusedAtStartNamingTheKey() throws IOException {
        final String notARegistry = serve((exchange, n) -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            final byte[] page = "<html>Not Found</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(404, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        assertThatThrownBy(() -> SchemaRegistryClients.requireRegistryAt(config(notARegistry)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(SerdeConfig.SCHEMA_REGISTRY_URL)
                .hasMessageContaining(notARegistry).hasMessageContaining("/subjects");
        server.stop(0);

        final String htmlOk = serve((exchange, n) -> answer(exchange, 200, "{\"page\":\"welcome\"}"));
        assertThatThrownBy(() -> SchemaRegistryClients.requireRegistryAt(config(htmlOk)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(SerdeConfig.SCHEMA_REGISTRY_URL);
        server.stop(0);

        final String registry = serve((exchange, n) -> answer(exchange, 200, "[\"events.clicks-value\"]"));
        SchemaRegistryClients.requireRegistryAt(config(registry));
        assertThat(requests).last().asString().startsWith("GET /subjects");
        SchemaRegistryClients.requireRegistryAt(config("mock://no-call-" + UUID.randomUUID()));
    }
}
