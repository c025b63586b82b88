package dev.streamrec.service.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamrec.schemas.CategoryAffinity;
import dev.streamrec.schemas.InteractionKind;
import dev.streamrec.schemas.RecentItem;
import dev.streamrec.schemas.RecommendedItem;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.service.items.ScoredItem;
import dev.streamrec.service.quality.ModelQuality;
import dev.streamrec.service.quality.ModelQualityMetrics;
import dev.streamrec.service.query.InstanceInfo;
import dev.streamrec.service.query.Lookup;
import dev.streamrec.service.query.QueryUnavailableException;
import dev.streamrec.service.query.ReadMode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP contract of every route and error status: the real Javalin server on a free port over
 * {@link FakeQueries}, and, for forwarding, a second real server as the key's owner.
 */
class HttpApiTest {
    /** Generous, so a cold owner under a loaded CI machine still answers the forwarding tests in time. */
    private static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(10);
    /** For the one test that waits the timeout out on purpose. */
    private static final Duration SHORT_FORWARD_TIMEOUT = Duration.ofMillis(400);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final List<HttpApi> servers = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private FakeQueries queries;
    private PrometheusMeterRegistry registry;
    private String base;
    private int port;

    @BeforeEach
    void start() {
        queries = new FakeQueries();
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        port = startServer(queries, registry, "self:1");
        base = "http://127.0.0.1:" + port;
    }

    private int startServer(final FakeQueries q, final PrometheusMeterRegistry r, final String self) {
        return startServer(q, r, self, FORWARD_TIMEOUT);
    }

    private int startServer(final FakeQueries q, final PrometheusMeterRegistry r, final String self,
                            final Duration forwardTimeout) {
        final HttpApi api = new HttpApi(q, r, self, forwardTimeout, 2, 5, 100, 128);
        servers.add(api);
        return api.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() throws Exception {
        servers.forEach(HttpApi::stop);
        for (final AutoCloseable c : closeables) {
            c.close();
        }
    }

    private static HttpResponse<String> get(final String url, final String... headers) throws Exception {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Status and body of a GET sent byte for byte, for request targets {@link URI} refuses to build. */
    private record RawResponse(int status, String head, String body) {
    }

    private static RawResponse rawGet(final int port, final String target, final String... headerLines)
            throws IOException {
        final StringBuilder request = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n");
        for (final String line : headerLines) {
            request.append(line).append("\r\n");
        }
        request.append("Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            final String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            final int split = response.indexOf("\r\n\r\n");
            return new RawResponse(Integer.parseInt(response.substring(9, 12)), response.substring(0, split),
                    response.substring(split + 4));
        }
    }

    private static void assertRawError(final RawResponse response, final int status, final String messagePart)
            throws IOException {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.head()).containsIgnoringCase("Content-Type: application/json");
        final JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("message").asText()).contains(messagePart);
    }

    private static JsonNode json(final HttpResponse<String> response) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return JSON.readTree(response.body());
    }

    private static void assertError(final HttpResponse<String> response, final int status, final String messagePart)
            throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        final JsonNode body = json(response);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("message").asText()).contains(messagePart);
    }

    static Recommendations recommendations(final String user, final int n) {
        final List<RecommendedItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(new RecommendedItem("item-" + i, 1.0 - i * 0.1, "mf"));
        }
        return Recommendations.newBuilder().setUserId(user).setItems(items).setStrategy("mf").setModelVersion(42)
                .setGeneratedAt(Instant.parse("2026-01-02T03:04:05.678Z"))
                .setTriggerIngestTime(Instant.parse("2026-01-02T03:04:05.600Z")).build();
    }

    // ------------------------------------------------------------------ recommendations

    @Test
    void storedRecommendationsAreReturnedAsTheServicesOwnJson() throws Exception {
        queries.recommendations.put("u-1", new Lookup.Found<>(recommendations("u-1", 3)));
        final HttpResponse<String> response = get(base + "/users/u-1/recommendations");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(Forwarder.SERVED_BY_HEADER)).hasValue("self:1");
        final JsonNode body = json(response);
        assertThat(body.get("userId").asText()).isEqualTo("u-1");
        assertThat(body.get("strategy").asText()).isEqualTo("mf");
        assertThat(body.get("modelVersion").asLong()).isEqualTo(42);
        assertThat(body.get("generatedAt").asText()).isEqualTo("2026-01-02T03:04:05.678Z");
        assertThat(body.get("triggerIngestTime").asText()).isEqualTo("2026-01-02T03:04:05.600Z");
        assertThat(body.get("items")).hasSize(3);
        assertThat(body.get("items").get(1).get("itemId").asText()).isEqualTo("item-1");
        assertThat(body.get("items").get(1).get("score").asDouble()).isEqualTo(0.9);
        assertThat(body.get("items").get(1).get("reason").asText()).isEqualTo("mf");
        assertThat(queries.lastMode).isEqualTo(ReadMode.ACTIVE_ONLY);
    }

    @Test
    void limitCutsTheStoredListAndNeverPadsIt() throws Exception {
        queries.recommendations.put("u-1", new Lookup.Found<>(recommendations("u-1", 10)));
        assertThat(json(get(base + "/users/u-1/recommendations?limit=4")).get("items")).hasSize(4);
        assertThat(json(get(base + "/users/u-1/recommendations?limit=100")).get("items")).hasSize(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "101", "abc", "1.5", "", "%zz", "5%", "%D9%A5%D9%A5", "+5", "99999999999"})
    void limitOutsideItsBoundsIsRejected(final String limit) throws Exception {
        assertRawError(rawGet(port, "/users/u-1/recommendations?limit=" + limit), 400, "limit");
        assertRawError(rawGet(port, "/items/i-1/similar?limit=" + limit), 400, "limit");
        assertThat(queries.keyedQueries).hasValue(0);
    }

    /** A repeated parameter is ambiguous: which value wins used to depend on the order. */
    @ParameterizedTest
    @ValueSource(strings = {"limit=2&limit=abc", "limit=abc&limit=2", "limit=2&limit=2",
            "allowStale=true&allowStale=false", "allowStale=false&allowStale=true", "allowStale=true&allowStale"})
    void aRepeatedParameterIsRejectedNamingIt(final String query) throws Exception {
        final String name = query.substring(0, query.indexOf('='));
        assertRawError(rawGet(port, "/users/u-1/recommendations?" + query), 400, name + " is given more than once");
        assertRawError(rawGet(port, "/users/u-1/profile?" + query.replace("limit", "allowStale")), 400,
                "allowStale is given more than once");
        assertRawError(rawGet(port, "/items/i-1/similar?limit=2&l%69mit=3"), 400, "limit is given more than once");
        assertThat(queries.keyedQueries).hasValue(0);
    }

    /** An empty id is a missing id, as the updater says of it, not an unknown route. */
    @ParameterizedTest
    @ValueSource(strings = {"/users//recommendations", "/users//profile", "/items//similar", "/users//profile/"})
    void anEmptyIdSegmentIs400NamingTheId(final String target) throws Exception {
        final String name = target.startsWith("/users") ? "userId" : "itemId";
        assertError(get(base + target), 400, name + " is missing or blank");
        assertThat(queries.keyedQueries).hasValue(0);
    }

    @Test
    void anAllowStaleThatIsNotValidPercentEncodingIsRejected() throws Exception {
        assertRawError(rawGet(port, "/users/u-1/profile?allowStale=%zz"), 400, "allowStale");
        assertThat(queries.keyedQueries).hasValue(0);
    }

    @Test
    void anEncodedLimitIsDecodedAndUnknownParametersIgnored() throws Exception {
        queries.recommendations.put("u-1", new Lookup.Found<>(recommendations("u-1", 10)));
        final RawResponse response = rawGet(port, "/users/u-1/recommendations?x=%zz&l%69mit=%34");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("items")).hasSize(4);
    }

    /** {@code id} as one path segment, every character but the unreserved ones percent-encoded. */
    private static String segment(final String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * Ids the profile-updater accepts (trimmed, non-blank, at most {@code validation.id.max.length}
     * characters, any characters), and so keeps profiles and lists for: the service answers for
     * every one of them, with the id decoded exactly ({@code +} is a plus in a path, and
     * {@code %2B} too).
     */
    @ParameterizedTest
    @ValueSource(strings = {"a b", "a+b@x.com", "josé", "a/b", "a%2Bb", "user 1", "<script>", "ünï💡", "a?b#c",
            ".."})
    void everyIdTheUpdaterAcceptsIsAnswered(final String userId) throws Exception {
        queries.recommendations.put(userId, new Lookup.Found<>(recommendations(userId, 3)));
        final HttpResponse<String> response = get(base + "/users/" + segment(userId) + "/recommendations");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("userId").asText()).isEqualTo(userId);
        assertError(get(base + "/users/" + segment(userId) + "/profile"), 404, "no profile for user " + userId);
        assertError(get(base + "/items/" + segment(userId) + "/similar"), 404, "no factors for item " + userId);
    }

    @Test
    void aLiteralPlusInThePathIsAPlus() throws Exception {
        queries.recommendations.put("a+b@x.com", new Lookup.Found<>(recommendations("a+b@x.com", 3)));
        final RawResponse response = rawGet(port, "/users/a+b@x.com/recommendations");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(JSON.readTree(response.body()).get("userId").asText()).isEqualTo("a+b@x.com");
    }

    /** The updater trims ids before it keys anything by them, so the service looks up the trimmed id. */
    @Test
    void idsAreTrimmedAsTheUpdaterTrimsThem() throws Exception {
        queries.recommendations.put("u-1", new Lookup.Found<>(recommendations("u-1", 3)));
        final HttpResponse<String> response = get(base + "/users/%20u-1%09/recommendations");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("userId").asText()).isEqualTo("u-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%20", "%20%20%09", "%0A"})
    void blankIdsAreRejected(final String userId) throws Exception {
        assertError(get(base + "/users/" + userId + "/recommendations"), 400, "userId");
        assertError(get(base + "/users/" + userId + "/profile"), 400, "userId");
        assertError(get(base + "/items/" + userId + "/similar"), 400, "itemId");
        assertThat(queries.keyedQueries).hasValue(0);
    }

    @Test
    void userIdsLongerThan128AreRejectedAnd128IsAccepted() throws Exception {
        assertError(get(base + "/users/" + "u".repeat(129) + "/recommendations"), 400, "128");
        assertThat(get(base + "/users/" + "u".repeat(128) + "/recommendations").statusCode()).isEqualTo(200);
        assertThat(get(base + "/users/a.b_c:d@e-f/recommendations").statusCode()).isEqualTo(200);
    }

    /** The bound is {@code validation.id.max.length}, the updater's, not a number of the service's own. */
    @Test
    void theIdLengthBoundIsTheConfiguredOne() throws Exception {
        final HttpApi roomy = new HttpApi(queries, registry, "roomy:4", FORWARD_TIMEOUT, 2, 5, 100, 300);
        servers.add(roomy);
        final String roomyBase = "http://127.0.0.1:" + roomy.start("127.0.0.1", 0);
        assertThat(get(roomyBase + "/users/" + "u".repeat(300) + "/recommendations").statusCode()).isEqualTo(200);
        assertError(get(roomyBase + "/users/" + "u".repeat(301) + "/recommendations"), 400, "300");
    }

    @Test
    void aUserWithNoListGetsThePopularColdStartList() throws Exception {
        queries.popular = List.of(new ScoredItem("hit", 90), new ScoredItem("ok", 50), new ScoredItem("meh", 3));
        final JsonNode body = json(get(base + "/users/newcomer/recommendations?limit=2"));
        assertThat(body.get("userId").asText()).isEqualTo("newcomer");
        assertThat(body.get("strategy").asText()).isEqualTo("popular");
        assertThat(body.get("triggerIngestTime").isNull()).isTrue();
        assertThat(body.get("items")).hasSize(2);
        assertThat(body.get("items").get(0).get("itemId").asText()).isEqualTo("hit");
        assertThat(body.get("items").get(0).get("reason").asText()).isEqualTo("popular");
        json(get(base + "/users/newcomer/recommendations"));
        assertThat(queries.lastLimit).as("default limit when none is given").isEqualTo(5);
    }

    @Test
    void aKeyNobodyCanServeIs503WithRetryAfter() throws Exception {
        queries.recommendations.put("u-1", new Lookup.Unavailable<>("rebalancing"));
        final HttpResponse<String> response = get(base + "/users/u-1/recommendations");
        assertError(response, 503, "rebalancing");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
    }

    @Test
    void allowStaleIsPassedOnAndMustBeABoolean() throws Exception {
        get(base + "/users/u-1/recommendations?allowStale=true");
        assertThat(queries.lastMode).isEqualTo(ReadMode.ALLOW_STALE);
        get(base + "/users/u-1/profile?allowStale=false");
        assertThat(queries.lastMode).isEqualTo(ReadMode.ACTIVE_ONLY);
        assertError(get(base + "/users/u-1/recommendations?allowStale=yes"), 400, "allowStale");
    }

    // ------------------------------------------------------------------ forwarding

    @Test
    void aKeyHeldElsewhereIsForwardedOnceAndAnsweredWithTheOwnersBody() throws Exception {
        final FakeQueries ownerQueries = new FakeQueries();
        ownerQueries.recommendations.put("u-9", new Lookup.Found<>(recommendations("u-9", 6)));
        final int ownerPort = startServer(ownerQueries, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                "owner:2");
        queries.recommendations.put("u-9", new Lookup.Elsewhere<>("127.0.0.1", ownerPort));

        final HttpResponse<String> direct = get("http://127.0.0.1:" + ownerPort
                + "/users/u-9/recommendations?limit=3&allowStale=true");
        final HttpResponse<String> forwarded = get(base + "/users/u-9/recommendations?limit=3&allowStale=true");
        assertThat(forwarded.statusCode()).isEqualTo(200);
        assertThat(forwarded.body()).isEqualTo(direct.body());
        assertThat(json(forwarded).get("items")).hasSize(3);
        assertThat(forwarded.headers().firstValue(Forwarder.SERVED_BY_HEADER)).hasValue("owner:2");
        assertThat(ownerQueries.lastMode).as("query string travels with the forward").isEqualTo(ReadMode.ALLOW_STALE);
        assertThat(ownerQueries.keyedQueries).hasValue(2);
    }

    /**
     * A forward names the key as one percent-encoded path segment, which the owner decodes back to
     * the same id: spaces, {@code +}, non-ASCII letters, a slash and a literal {@code %2B} included.
     */
    @ParameterizedTest
    @ValueSource(strings = {"a b", "a+b@x.com", "josé", "a/b", "a%2Bb", "ünï💡", "a?b#c;d", "..", ".", "../x"})
    void aForwardCarriesTheIdToTheOwnerUnchanged(final String id) throws Exception {
        final FakeQueries ownerQueries = new FakeQueries();
        ownerQueries.recommendations.put(id, new Lookup.Found<>(recommendations(id, 6)));
        ownerQueries.similar.put(id, new Lookup.Found<>(List.of(new ScoredItem("near", 0.5))));
        final int ownerPort = startServer(ownerQueries, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                "owner:2");
        queries.recommendations.put(id, new Lookup.Elsewhere<>("127.0.0.1", ownerPort));
        queries.profiles.put(id, new Lookup.Elsewhere<>("127.0.0.1", ownerPort));
        queries.similar.put(id, new Lookup.Elsewhere<>("127.0.0.1", ownerPort));

        final HttpResponse<String> forwarded = get(base + "/users/" + segment(id) + "/recommendations?limit=2");
        assertThat(forwarded.statusCode()).as(forwarded.body()).isEqualTo(200);
        assertThat(forwarded.headers().firstValue(Forwarder.SERVED_BY_HEADER)).hasValue("owner:2");
        assertThat(json(forwarded).get("userId").asText()).isEqualTo(id);
        assertThat(json(forwarded).get("items")).hasSize(2);
        final HttpResponse<String> profile = get(base + "/users/" + segment(id) + "/profile");
        assertError(profile, 404, "no profile for user " + id);
        assertThat(profile.headers().firstValue(Forwarder.SERVED_BY_HEADER)).hasValue("owner:2");
        final HttpResponse<String> similar = get(base + "/items/" + segment(id) + "/similar");
        assertThat(similar.statusCode()).as(similar.body()).isEqualTo(200);
        assertThat(json(similar).get("itemId").asText()).isEqualTo(id);
    }

    /**
     * Only the validated parameters travel with a forward, rebuilt: a query string the owner would
     * accept, but that {@link URI} refuses as it stands, must not turn a forward into a 500.
     */
    @ParameterizedTest
    @ValueSource(strings = {"?x={}&limit=2", "?limit=2&x=a|b", "?limit=2&x=%22%20%7B", "?limit=2&allowStale=true&y=^"})
    void aForwardCarriesOnlyTheValidatedParameters(final String query) throws Exception {
        final FakeQueries ownerQueries = new FakeQueries();
        ownerQueries.recommendations.put("u-9", new Lookup.Found<>(recommendations("u-9", 6)));
        final int ownerPort = startServer(ownerQueries, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                "owner:2");
        queries.recommendations.put("u-9", new Lookup.Elsewhere<>("127.0.0.1", ownerPort));
        queries.recommendations.put("u-1", new Lookup.Found<>(recommendations("u-1", 6)));

        final RawResponse local = rawGet(port, "/users/u-1/recommendations" + query);
        assertThat(local.status()).as(local.body()).isEqualTo(200);
        final RawResponse forwarded = rawGet(port, "/users/u-9/recommendations" + query);
        assertThat(forwarded.status()).as(forwarded.body()).isEqualTo(200);
        assertThat(JSON.readTree(forwarded.body()).get("items")).hasSize(2);
        assertThat(forwarded.head()).contains(Forwarder.SERVED_BY_HEADER + ": owner:2");
        assertThat(ownerQueries.lastMode).isEqualTo(query.contains("allowStale=true")
                ? ReadMode.ALLOW_STALE : ReadMode.ACTIVE_ONLY);

        queries.profiles.put("u-9", new Lookup.Elsewhere<>("127.0.0.1", ownerPort));
        final RawResponse profile = rawGet(port, "/users/u-9/profile" + query);
        assertThat(profile.status()).as("the owner's 404, not a 500 here").isEqualTo(404);
    }

    @Test
    void theOwnersErrorStatusAndRetryAfterArePassedBack() throws Exception {
        final FakeQueries ownerQueries = new FakeQueries();
        ownerQueries.profiles.put("u-9", new Lookup.Unavailable<>("restoring"));
        final int ownerPort = startServer(ownerQueries, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                "owner:2");
        queries.profiles.put("u-9", new Lookup.Elsewhere<>("127.0.0.1", ownerPort));
        final HttpResponse<String> response = get(base + "/users/u-9/profile");
        assertError(response, 503, "restoring");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");

        queries.profiles.put("u-8", new Lookup.Elsewhere<>("127.0.0.1", ownerPort));
        assertError(get(base + "/users/u-8/profile"), 404, "u-8");
    }

    /** The cluster as Kafka Streams' metadata would list it: this instance, the owner, and one more, "other:3". */
    private static List<InstanceInfo> members(final int ownerPort, final InstanceInfo... more) {
        final List<InstanceInfo> all = new ArrayList<>(List.of(
                new InstanceInfo("self", 1, true, List.of(), Map.of(), Map.of()),
                new InstanceInfo("127.0.0.1", ownerPort, false, List.of(), Map.of(), Map.of()),
                new InstanceInfo("other", 3, false, List.of(), Map.of(), Map.of())));
        all.addAll(List.of(more));
        return all;
    }

    /** A genuine forward: the header names another member, which thought this instance owns the key. */
    @Test
    void aForwardedRequestIsNeverForwardedAgain() throws Exception {
        final FakeQueries ownerQueries = new FakeQueries();
        final int ownerPort = startServer(ownerQueries, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                "owner:2");
        queries.instances = members(ownerPort);
        queries.recommendations.put("u-9", new Lookup.Elsewhere<>("127.0.0.1", ownerPort));
        final HttpResponse<String> response = get(base + "/users/u-9/recommendations",
                Forwarder.FORWARDED_HEADER, "other:3");
        assertError(response, 503, "moving");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(ownerQueries.keyedQueries).as("the owner was not asked").hasValue(0);
    }

    /**
     * Any client can send the header: one naming no other member of the cluster (this instance
     * itself included, which never forwards to itself) is no forward, and the request is routed as
     * any other.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bogus:9", "self:1", "other:4", "other", "127.0.0.1:1"})
    void aForwardedByHeaderNamingNoOtherMemberIsIgnoredAndTheRequestForwarded(final String header)
            throws Exception {
        final FakeQueries ownerQueries = new FakeQueries();
        ownerQueries.recommendations.put("u-9", new Lookup.Found<>(recommendations("u-9", 6)));
        final int ownerPort = startServer(ownerQueries, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                "owner:2");
        queries.instances = members(ownerPort);
        queries.recommendations.put("u-9", new Lookup.Elsewhere<>("127.0.0.1", ownerPort));
        final HttpResponse<String> response = get(base + "/users/u-9/recommendations?limit=2",
                Forwarder.FORWARDED_HEADER, header);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("items")).hasSize(2);
        assertThat(response.headers().firstValue(Forwarder.SERVED_BY_HEADER)).hasValue("owner:2");
        assertThat(ownerQueries.keyedQueries).as("the owner answered").hasValue(1);
    }

    /** Kafka Streams reports an IPv6 member's host bare; its own forwards name it bracketed, as in application.server. */
    @Test
    void anIpv6MemberIsRecognisedByItsBracketedEndpoint() throws Exception {
        final FakeQueries ownerQueries = new FakeQueries();
        ownerQueries.recommendations.put("u-9", new Lookup.Found<>(recommendations("u-9", 6)));
        final int ownerPort = startServer(ownerQueries, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                "owner:2");
        queries.instances = members(ownerPort, new InstanceInfo("fd00::7", 8080, false, List.of(), Map.of(), Map.of()));
        queries.recommendations.put("u-9", new Lookup.Elsewhere<>("127.0.0.1", ownerPort));
        assertError(get(base + "/users/u-9/recommendations", Forwarder.FORWARDED_HEADER, "[fd00::7]:8080"), 503,
                "moving");
        assertThat(ownerQueries.keyedQueries).hasValue(0);
        assertThat(get(base + "/users/u-9/recommendations", Forwarder.FORWARDED_HEADER, "fd00::7:8080")
                .statusCode()).as("not how any member names itself").isEqualTo(200);
    }

    /** Without the member list, a header that may be a genuine forward is not forwarded again. */
    @Test
    void aForwardedByHeaderThatCannotBeCheckedIs503NotASecondHop() throws Exception {
        final FakeQueries ownerQueries = new FakeQueries();
        final int ownerPort = startServer(ownerQueries, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                "owner:2");
        queries.instancesUnavailable = new QueryUnavailableException("rebalancing", null);
        queries.recommendations.put("u-9", new Lookup.Elsewhere<>("127.0.0.1", ownerPort));
        final HttpResponse<String> response = get(base + "/users/u-9/recommendations",
                Forwarder.FORWARDED_HEADER, "other:3");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(ownerQueries.keyedQueries).as("the owner was not asked").hasValue(0);
    }

    @Test
    void anUnreachableOwnerIs503NotAHang() throws Exception {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        queries.recommendations.put("u-9", new Lookup.Elsewhere<>("127.0.0.1", closedPort));
        final HttpResponse<String> response = get(base + "/users/u-9/recommendations");
        assertError(response, 503, "127.0.0.1:" + closedPort);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
    }

    @Test
    void anOwnerThatNeverAnswersIs503AfterTheForwardTimeout() throws Exception {
        final ServerSocket silent = new ServerSocket(0);
        closeables.add(silent);
        final List<Socket> accepted = new ArrayList<>();
        final Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (final IOException closed) {
                // test over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        assertThat(forwardWithTheShortTimeoutTo(silent.getLocalPort()).headers().firstValue("Retry-After")).hasValue("2");
    }

    /**
     * A request for a user owned by the instance at {@code ownerPort}, asked of an instance whose
     * forward timeout is the short one: a 503 saying the owner did not answer in time, after that
     * timeout and well before the long one.
     */
    private HttpResponse<String> forwardWithTheShortTimeoutTo(final int ownerPort) throws Exception {
        final FakeQueries impatientQueries = new FakeQueries();
        impatientQueries.recommendations.put("u-9", new Lookup.Elsewhere<>("127.0.0.1", ownerPort));
        final int impatient = startServer(impatientQueries, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                "impatient:3", SHORT_FORWARD_TIMEOUT);
        final long start = System.nanoTime();
        final HttpResponse<String> response = get("http://127.0.0.1:" + impatient + "/users/u-9/recommendations");
        final Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        assertError(response, 503, "did not answer in time");
        assertThat(elapsed).isGreaterThanOrEqualTo(SHORT_FORWARD_TIMEOUT).isLessThan(FORWARD_TIMEOUT);
        return response;
    }

    /**
     * {@code HttpRequest.timeout} only covers the wait for the response headers: an owner that sends
     * them and part of the body, then stalls, must still give the caller its 503 after the forward
     * timeout, not leave it waiting for ever.
     */
    @Test
    void anOwnerThatStallsMidBodyIs503AfterTheForwardTimeout() throws Exception {
        final ServerSocket stalling = new ServerSocket(0);
        closeables.add(stalling);
        final BlockingQueue<Socket> accepted = new LinkedBlockingQueue<>();
        final Thread server = new Thread(() -> {
            try {
                while (true) {
                    final Socket s = stalling.accept();
                    accepted.add(s);
                    s.getInputStream().read(new byte[1024]);
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{\"a\":").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                }
            } catch (final IOException closed) {
                // test over
            }
        });
        server.setDaemon(true);
        server.start();
        final HttpResponse<String> response = forwardWithTheShortTimeoutTo(stalling.getLocalPort());
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        try (Socket stalled = accepted.poll(10, TimeUnit.SECONDS)) {
            assertThat(stalled).isNotNull();
            stalled.setSoTimeout(10_000);
            assertThat(stalled.getInputStream().read()).as("the half-read exchange was aborted, its connection closed")
                    .isEqualTo(-1);
        }
    }

    /** An owner whose advertised host is no URL host (one started before that was refused at start). */
    @Test
    void anOwnerWhoseHostCannotBeInAUrlIs502NotA500() throws Exception {
        queries.recommendations.put("u-9", new Lookup.Elsewhere<>("recommender_service_1", 8080));
        final HttpResponse<String> response = get(base + "/users/u-9/recommendations");
        assertError(response, 502, "recommender_service_1:8080");
        assertThat(response.headers().firstValue(Forwarder.SERVED_BY_HEADER)).hasValue("self:1");
    }

    @Test
    void anOwnerThatAnswersGarbageIs502() throws Exception {
        final ServerSocket garbage = new ServerSocket(0);
        closeables.add(garbage);
        final Thread server = new Thread(() -> {
            try {
                while (true) {
                    try (Socket s = garbage.accept(); OutputStream out = s.getOutputStream()) {
                        s.getInputStream().read(new byte[1024]);
                        out.write("NOT-HTTP garbage\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
            } catch (final IOException closed) {
                // test over
            }
        });
        server.setDaemon(true);
        server.start();
        queries.recommendations.put("u-9", new Lookup.Elsewhere<>("127.0.0.1", garbage.getLocalPort()));
        assertError(get(base + "/users/u-9/recommendations"), 502, "failed");
    }

    /** An owner that is restarting drops connections; that is as transient as one not listening yet. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anOwnerThatDropsTheConnectionIs503WithRetryAfter(final boolean reset) throws Exception {
        final ServerSocket dropping = new ServerSocket(0);
        closeables.add(dropping);
        final Thread server = new Thread(() -> {
            try {
                while (true) {
                    try (Socket s = dropping.accept()) {
                        s.getInputStream().read(new byte[1024]);
                        if (reset) {
                            s.setSoLinger(true, 0);
                        }
                    }
                }
            } catch (final IOException closed) {
                // test over
            }
        });
        server.setDaemon(true);
        server.start();
        queries.recommendations.put("u-9", new Lookup.Elsewhere<>("127.0.0.1", dropping.getLocalPort()));
        final HttpResponse<String> response = get(base + "/users/u-9/recommendations");
        assertError(response, 503, "dropped the connection");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
    }

    // ------------------------------------------------------------------ profile

    @Test
    void profilesAreReturnedWithDerivedMeanRating() throws Exception {
        queries.profiles.put("u-1", new Lookup.Found<>(UserProfile.newBuilder().setUserId("u-1").setClickCount(4)
                .setRatingCount(2).setRatingSum(7).setLastEventTime(Instant.parse("2026-01-01T00:00:00Z"))
                .setCategoryAffinities(List.of(new CategoryAffinity("books", 2.5)))
                .setRecentItems(List.of(new RecentItem("i1", InteractionKind.RATING, Instant.ofEpochMilli(1))))
                .build()));
        final HttpResponse<String> response = get(base + "/users/u-1/profile");
        assertThat(response.statusCode()).isEqualTo(200);
        final JsonNode body = json(response);
        assertThat(body.get("clickCount").asLong()).isEqualTo(4);
        assertThat(body.get("meanRating").asDouble()).isEqualTo(3.5);
        assertThat(body.get("lastEventTime").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(body.get("firstEventTime").isNull()).as("0 means never").isTrue();
        assertThat(body.get("categoryAffinities").get(0).get("category").asText()).isEqualTo("books");
        assertThat(body.get("recentItems").get(0).get("kind").asText()).isEqualTo("RATING");
    }

    @Test
    void anUnknownProfileIs404AndAnUnavailableOne503() throws Exception {
        assertError(get(base + "/users/ghost/profile"), 404, "ghost");
        queries.profiles.put("u-1", new Lookup.Unavailable<>("restoring"));
        assertError(get(base + "/users/u-1/profile"), 503, "restoring");
    }

    // ------------------------------------------------------------------ similar items

    @Test
    void similarItemsAreReturnedNearestFirstUpToTheLimit() throws Exception {
        queries.similar.put("i-1", new Lookup.Found<>(List.of(new ScoredItem("i-2", 0.9), new ScoredItem("i-3", 0.5),
                new ScoredItem("i-4", 0.1))));
        final JsonNode body = json(get(base + "/items/i-1/similar?limit=2"));
        assertThat(body.get("itemId").asText()).isEqualTo("i-1");
        assertThat(body.get("items")).hasSize(2);
        assertThat(body.get("items").get(0).get("itemId").asText()).isEqualTo("i-2");
        assertThat(body.get("items").get(0).get("similarity").asDouble()).isEqualTo(0.9);
        assertThat(queries.lastLimit).isEqualTo(2);
    }

    @Test
    void similarItemsErrors() throws Exception {
        assertError(get(base + "/items/unknown/similar"), 404, "unknown");
        queries.similar.put("i-1", new Lookup.Unavailable<>("item factors are still loading"));
        assertError(get(base + "/items/i-1/similar"), 503, "loading");
        assertError(get(base + "/items/" + "x".repeat(129) + "/similar"), 400, "itemId");
        assertError(get(base + "/items/i-1/similar?limit=0"), 400, "limit");
    }

    // ------------------------------------------------------------------ instances, health, metrics

    @Test
    void instancesListEveryInstanceAndItsPartitions() throws Exception {
        queries.instances = List.of(
                new InstanceInfo("10.0.0.1", 8080, true, List.of("service-profiles-store"),
                        Map.of("profiles.users", List.of(0, 2)), Map.of()),
                new InstanceInfo("10.0.0.2", 8080, false, List.of("service-profiles-store"),
                        Map.of("profiles.users", List.of(1, 3)), Map.of("profiles.users", List.of(0))));
        final JsonNode body = json(get(base + "/instances"));
        assertThat(body.get("self").asText()).isEqualTo("self:1");
        assertThat(body.get("instances")).hasSize(2);
        final JsonNode second = body.get("instances").get(1);
        assertThat(second.get("host").asText()).isEqualTo("10.0.0.2");
        assertThat(second.get("self").asBoolean()).isFalse();
        assertThat(second.get("activePartitions").get("profiles.users").toString()).isEqualTo("[1,3]");
        assertThat(second.get("standbyPartitions").get("profiles.users").toString()).isEqualTo("[0]");
    }

    @Test
    void instancesBeforeKafkaStreamsRunsIs503WithRetryAfter() throws Exception {
        queries.instancesUnavailable = new QueryUnavailableException("not started", null);
        final HttpResponse<String> response = get(base + "/instances");
        assertError(response, 503, "not started");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
    }

    @Test
    void liveWhileRebalancingAndReadyOnlyWhileRunning() throws Exception {
        assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
        final HttpResponse<String> ready = get(base + "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("status").asText()).isEqualTo("READY");
        queries.ready = false;
        final HttpResponse<String> notReady = get(base + "/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(json(notReady).get("streamsState").asText()).isEqualTo("REBALANCING");
        assertThat(get(base + "/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void liveIsDownOnceKafkaStreamsHasFailed() throws Exception {
        queries.ready = false;
        queries.failedState = "ERROR";
        final HttpResponse<String> live = get(base + "/health/live");
        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(json(live).get("status").asText()).isEqualTo("DOWN");
        assertThat(json(live).get("streamsState").asText()).isEqualTo("ERROR");
        assertThat(get(base + "/health/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void metricsArePrometheusTextWithRequestsByRouteAndStatusAndModelQuality() throws Exception {
        final ModelQuality quality = new ModelQuality();
        new ModelQualityMetrics(quality).bindTo(registry);
        queries.recommendations.put("u-1", new Lookup.Found<>(recommendations("u-1", 1)));
        get(base + "/users/u-1/recommendations");
        get(base + "/users/u-1/recommendations?limit=0");
        get(base + "/no/such/route");
        final HttpResponse<String> response = get(base + "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body())
                .containsPattern("streamrec_http_requests_seconds_count\\{[^}]*route=\"/users/\\{userId\\}/recommendations\""
                        + "[^}]*status=\"200\"[^}]*} 1")
                .containsPattern("streamrec_http_requests_seconds_count\\{.*status=\"400\"} 1")
                .containsPattern("streamrec_http_requests_seconds_count\\{.*route=\"unmatched\",status=\"404\"} 1")
                .doesNotContain("/no/such/route")
                .contains("streamrec_model_rmse")
                .contains("streamrec_model_recall{n=\"10\"}");
    }

    private static HttpResponse<String> head(final String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** HEAD runs the GET handler: the status and headers a GET would get, without the body. */
    @ParameterizedTest
    @ValueSource(strings = {"/users/u-1/recommendations", "/users/ghost/profile", "/users/u-1/profile",
            "/users/u-1/recommendations?limit=0", "/items/%20/similar", "/items/unknown/similar",
            "/instances", "/health/ready", "/metrics"})
    void headAnswersAsGetWouldWithoutTheBody(final String target) throws Exception {
        queries.recommendations.put("u-1", new Lookup.Found<>(recommendations("u-1", 3)));
        queries.profiles.put("u-1", new Lookup.Found<>(UserProfile.newBuilder().setUserId("u-1").build()));
        final HttpResponse<String> get = get(base + target);
        final HttpResponse<String> head = head(base + target);
        assertThat(head.statusCode()).as("HEAD " + target).isEqualTo(get.statusCode());
        assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"));
        assertThat(head.headers().firstValue(Forwarder.SERVED_BY_HEADER))
                .isEqualTo(get.headers().firstValue(Forwarder.SERVED_BY_HEADER));
        assertThat(head.body()).isEmpty();
    }

    /** A method the API does not serve on a route it has is 405 naming the methods it does, not 404. */
    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    void anUnsupportedMethodIs405WithAllow(final String method) throws Exception {
        for (final String target : List.of("/users/u-1/recommendations", "/instances", "/metrics")) {
            final HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(URI.create(base + target))
                    .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertError(response, 405, method);
            assertThat(response.headers().firstValue("Allow")).as(method + " " + target).hasValue("GET, HEAD");
            assertThat(response.headers().firstValue(Forwarder.SERVED_BY_HEADER)).hasValue("self:1");
        }
        assertThat(queries.keyedQueries).hasValue(0);
        assertThat(get(base + "/metrics").body()).containsPattern(
                "streamrec_http_requests_seconds_count\\{method=\"" + method + "\",route=\"unmatched\",status=\"405\"} 3");
    }

    @Test
    void unknownRoutesAre404Json() throws Exception {
        assertError(get(base + "/no/such/route"), 404, "");
    }

    /** Refused by Jetty before Javalin sees them, and still answered with the API's JSON error. */
    @Test
    void requestsJettyRefusesGetTheJsonErrorToo() throws Exception {
        final RawResponse badEncoding = rawGet(port, "/users/%zz/recommendations");
        assertRawError(badEncoding, 400, "could not be read");
        assertThat(badEncoding.head()).contains(Forwarder.SERVED_BY_HEADER + ": self:1");
        assertRawError(rawGet(port, "/users/u-1/recommendations", "X-Big: " + "a".repeat(20_000)), 431,
                "could not be read");
        assertRawError(rawGet(port, "/users/u-1/recommendations", "Bad Header"), 400, "could not be read");
    }

    /**
     * Stopping drains: a request in flight when {@code stop()} is called is answered, while new
     * connections are refused. The query blocks on a latch until the stop is under way.
     */
    @Test
    void stopAnswersTheRequestsInFlightBeforeClosing() throws Exception {
        final CountDownLatch queried = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        queries.recommendations.put("u-1", new Lookup.Found<>(recommendations("u-1", 3)));
        queries.beforeKeyedQuery = () -> {
            queried.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        final CompletableFuture<HttpResponse<String>> inFlight = CLIENT.sendAsync(
                HttpRequest.newBuilder(URI.create(base + "/users/u-1/recommendations"))
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(queried.await(10, TimeUnit.SECONDS)).as("the request reached the query").isTrue();
        try (Socket idle = new Socket("127.0.0.1", port)) {
            // A kept-alive connection with nothing in flight: the stop closes it after its short idle
            // timeout, which the request in flight must outlast.
            idle.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            idle.setSoTimeout(10_000);
            final InputStream idleIn = idle.getInputStream();
            final byte[] buffer = new byte[4096];
            assertThat(idleIn.read(buffer)).isPositive();

            final HttpApi api = servers.remove(0);
            final CompletableFuture<Void> stopped = CompletableFuture.runAsync(api::stop);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (acceptsConnections(port)) {
                assertThat(System.nanoTime()).as("the stop began: new connections refused").isLessThan(deadline);
                Thread.onSpinWait();
            }
            assertThat(idleIn.read(buffer)).as("the idle connection was closed").isEqualTo(-1);
            assertThat(stopped).as("stop waits for the request in flight").isNotDone();
            release.countDown();
            stopped.get(20, TimeUnit.SECONDS);
        }

        final HttpResponse<String> response = inFlight.get(20, TimeUnit.SECONDS);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("items")).hasSize(3);
    }

    /** The drain is bounded: a request that never finishes does not hold the stop up for ever. */
    @Test
    void stopGivesUpOnARequestThatOutlastsTheDrain() throws Exception {
        final CountDownLatch queried = new CountDownLatch(1);
        final CountDownLatch never = new CountDownLatch(1);
        final FakeQueries stuckQueries = new FakeQueries();
        stuckQueries.beforeKeyedQuery = () -> {
            queried.countDown();
            try {
                never.await(60, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        final HttpApi api = new HttpApi(stuckQueries, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                "stuck:5", SHORT_FORWARD_TIMEOUT, 2, 5, 100, 128);
        final int stuckPort = api.start("127.0.0.1", 0);
        final CompletableFuture<HttpResponse<String>> inFlight = CLIENT.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stuckPort + "/users/u-1/profile"))
                        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(queried.await(10, TimeUnit.SECONDS)).isTrue();
        final long start = System.nanoTime();
        api.stop();
        final Duration took = Duration.ofNanos(System.nanoTime() - start);
        never.countDown();
        assertThat(took).isGreaterThanOrEqualTo(HttpApi.stopDrain(SHORT_FORWARD_TIMEOUT))
                .isLessThan(HttpApi.stopDrain(SHORT_FORWARD_TIMEOUT).plusSeconds(10));
        inFlight.cancel(true);
    }

    /**
     * A port already taken fails the start with Javalin's bind error, a RuntimeException the
     * service's start and the demo catch (the demo names the port and exits 2), and a stop after it
     * is quiet: with a stop timeout set before the start, Jetty's graceful stop of the never-started
     * server threw a checked ExecutionException that skipped every cleanup.
     */
    @Test
    void aTakenPortFailsTheStartWithTheBindErrorAndTheStopAfterItIsQuiet() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            final HttpApi api = new HttpApi(new FakeQueries(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    "busy:1", FORWARD_TIMEOUT, 2, 5, 100, 128);
            assertThatThrownBy(() -> api.start("127.0.0.1", taken.getLocalPort()))
                    .isInstanceOf(RuntimeException.class).hasRootCauseInstanceOf(java.net.BindException.class);
            api.stop();
        }
    }

    private static boolean acceptsConnections(final int port) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return true;
        } catch (final IOException refused) {
            return false;
        }
    }

    /** README: every response names the instance that produced it, whatever the route or status. */
    @ParameterizedTest
    @ValueSource(strings = {"/metrics", "/health/live", "/health/ready", "/instances", "/users/u-1/recommendations",
            "/users/u-1/profile", "/items/i-1/similar", "/no/such/route", "/users/u-1/recommendations?limit=0"})
    void everyResponseNamesTheInstanceThatProducedIt(final String target) throws Exception {
        final HttpResponse<String> response = get(base + target);
        assertThat(response.headers().firstValue(Forwarder.SERVED_BY_HEADER)).as(target + " " + response.statusCode())
                .hasValue("self:1");
    }

    /** A request target only OPTIONS may use is refused by Jetty before routing, still as the JSON error. */
    @Test
    void anAsteriskTargetGetsTheJsonErrorToo() throws Exception {
        final RawResponse response = rawGet(port, "*");
        assertRawError(response, 400, "could not be read");
        assertThat(response.head()).contains(Forwarder.SERVED_BY_HEADER + ": self:1");
    }

    @Test
    void anUnexpectedFailureIs500JsonWithoutInternals() throws Exception {
        queries.failure = new IllegalStateException("secret detail");
        final HttpResponse<String> response = get(base + "/users/u-1/recommendations");
        assertError(response, 500, "IllegalStateException");
        assertThat(response.body()).doesNotContain("secret detail");
    }
}
