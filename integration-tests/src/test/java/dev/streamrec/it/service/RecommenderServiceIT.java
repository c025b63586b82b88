package dev.streamrec.it.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamrec.it.infra.Await;
import dev.streamrec.it.infra.ItEnvironment;
import dev.streamrec.it.infra.TestKafka;
import dev.streamrec.it.infra.TestRegistry;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.schemas.ModelMetrics;
import dev.streamrec.schemas.RecommendedItem;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.service.ServiceRuntime;
import dev.streamrec.updater.topology.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two recommender-service instances of one application over a real broker and registry, topics of
 * four partitions: either instance answers every user with what was published (locally or by
 * forwarding), and while one instance leaves, the other answers 503 or the right answer, never a
 * wrong one, until it holds every partition and answers every user.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RecommenderServiceIT {
    private static final int PARTITIONS = 4;
    private static final int USERS = 300;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Logger LOG = LoggerFactory.getLogger(RecommenderServiceIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final TestKafka kafka = ItEnvironment.kafka();
    private final TestRegistry registry = ItEnvironment.registry();
    private final List<ServiceRuntime> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(ServiceRuntime::close);
    }

    @Test
    void bothInstancesAnswerEveryUserAndTheSurvivorTakesOverWithoutWrongAnswers() throws Exception {
        final ServiceInstances app = new ServiceInstances(kafka, registry, PARTITIONS);
        final Topics topics = app.topicSpecs();
        final Map<String, Recommendations> published = publish(topics);
        assertThat(published.keySet().stream().map(RecommenderServiceIT::partitionOf).distinct().count())
                .as("users spread over every partition").isEqualTo(PARTITIONS);

        final ServiceRuntime first = start(app);
        final ServiceRuntime second = start(app);
        final String a = "http://127.0.0.1:" + first.port();
        final String b = "http://127.0.0.1:" + second.port();
        Await.until(WAIT, () -> ready(a) && ready(b) && holdsPartitions(a, 2) && holdsPartitions(b, 2),
                () -> "both instances ready, each holding partitions: " + safeGet(a + "/instances"));

        // Either instance returns the same body, equal to what was published.
        final Set<String> servedBy = new HashSet<>();
        for (final Map.Entry<String, Recommendations> user : published.entrySet()) {
            final HttpResponse<String> fromA = getUntil200(a + "/users/" + user.getKey() + "/recommendations");
            final HttpResponse<String> fromB = getUntil200(b + "/users/" + user.getKey() + "/recommendations");
            assertThat(fromA.body()).isEqualTo(fromB.body());
            assertMatches(JSON.readTree(fromA.body()), user.getValue());
            servedBy.add(fromA.headers().firstValue("X-Streamrec-Served-By").orElseThrow());
            final JsonNode profile = JSON.readTree(getUntil200(b + "/users/" + user.getKey() + "/profile").body());
            assertThat(profile.get("userId").asText()).isEqualTo(user.getKey());
            assertThat(profile.get("clickCount").asLong()).isEqualTo(clicksOf(user.getKey()));
        }
        assertThat(servedBy).as("some answers were local to A, some forwarded to B")
                .containsExactlyInAnyOrder("127.0.0.1:" + first.port(), "127.0.0.1:" + second.port());

        assertGlobalViews(a);
        assertGlobalViews(b);

        // One instance leaves; the other must never give a wrong answer while partitions move.
        running.remove(second);
        second.close();
        final Set<String> settled = new HashSet<>();
        final Map<Integer, Integer> statuses = new HashMap<>();
        final long deadline = System.nanoTime() + WAIT.toNanos();
        while (settled.size() < published.size()) {
            assertThat(System.nanoTime()).as("the survivor answers every user within %s; %d of %d so far, statuses %s",
                    WAIT, settled.size(), published.size(), statuses).isLessThan(deadline);
            for (final Map.Entry<String, Recommendations> user : published.entrySet()) {
                final HttpResponse<String> response = get(a + "/users/" + user.getKey() + "/recommendations");
                statuses.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() == 200) {
                    assertMatches(JSON.readTree(response.body()), user.getValue());
                    settled.add(user.getKey());
                } else {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                    assertThat(response.headers().firstValue("Retry-After")).isPresent();
                    settled.remove(user.getKey());
                }
            }
        }
        LOG.info("Survivor answered all {} users {} ms after the other instance left; statuses meanwhile: {}",
                published.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deadline + WAIT.toNanos()),
                statuses);
        final JsonNode instances = JSON.readTree(get(a + "/instances").body()).get("instances");
        assertThat(instances).hasSize(1);
        assertThat(instances.get(0).get("activePartitions").get(app.topics.get("topic.recommendations")))
                .hasSize(PARTITIONS);
    }

    private ServiceRuntime start(final ServiceInstances app) {
        final ServiceRuntime runtime = app.start();
        running.add(runtime);
        return runtime;
    }

    private static long clicksOf(final String userId) {
        return userId.hashCode() & 0xff;
    }

    /** Recommendations and profiles for {@link #USERS} users, a few item vectors and a quality summary. */
    private Map<String, Recommendations> publish(final Topics topics) {
        final Map<String, Recommendations> published = new LinkedHashMap<>();
        final List<ProducerRecord<String, Recommendations>> recs = new ArrayList<>();
        final List<ProducerRecord<String, UserProfile>> profiles = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            final String userId = "user-" + u;
            final List<RecommendedItem> items = new ArrayList<>();
            for (int i = 0; i < 1 + u % 7; i++) {
                items.add(new RecommendedItem("item-" + (u + i) % 50, 10.0 - i - u / 1000.0, "mf"));
            }
            final Recommendations r = Recommendations.newBuilder().setUserId(userId).setItems(items)
                    .setStrategy(u % 5 == 0 ? "blend" : "mf").setModelVersion(1000 + u)
                    .setGeneratedAt(Instant.ofEpochMilli(1_767_000_000_000L + u))
                    .setTriggerIngestTime(Instant.ofEpochMilli(1_767_000_000_000L + u - 5)).build();
            published.put(userId, r);
            recs.add(new ProducerRecord<>(topics.recommendations.name(), userId, r));
            profiles.add(new ProducerRecord<>(topics.profiles.name(), userId,
                    UserProfile.newBuilder().setUserId(userId).setClickCount(clicksOf(userId)).build()));
        }
        kafka.produce(new StringSerializer(), topics.recommendations.valueSerde().serializer(), recs);
        kafka.produce(new StringSerializer(), topics.profiles.valueSerde().serializer(), profiles);
        final List<ProducerRecord<String, ItemFactors>> factors = new ArrayList<>();
        // From before a model.rank change, and first on its partition: it must not set the size.
        factors.add(new ProducerRecord<>(topics.itemFactors.name(), "item-old-size", ItemFactors.newBuilder()
                .setItemId("item-old-size").setFactors(List.of(1f, 1f, 1f)).setVersion(1).setUpdatedAt(Instant.EPOCH)
                .build()));
        for (int i = 0; i < 5; i++) {
            factors.add(new ProducerRecord<>(topics.itemFactors.name(), "item-" + i, ItemFactors.newBuilder()
                    .setItemId("item-" + i).setFactors(List.of(1f, (float) i)).setVersion(1).setUpdateCount(10 - i)
                    .setUpdatedAt(Instant.EPOCH).build()));
        }
        // The most popular item, and item-1's nearest neighbour, but withdrawn by the catalogue.
        factors.add(new ProducerRecord<>(topics.itemFactors.name(), "item-withdrawn", ItemFactors.newBuilder()
                .setItemId("item-withdrawn").setFactors(List.of(1f, 1.5f)).setVersion(1).setPositiveCount(100)
                .setUpdatedAt(Instant.EPOCH).build()));
        kafka.produce(new StringSerializer(), topics.itemFactors.valueSerde().serializer(), factors);
        kafka.produce(topics.catalog.name(), new StringSerializer(), topics.catalog.valueSerde().serializer(),
                "item-withdrawn", Item.newBuilder().setItemId("item-withdrawn").setTitle("Withdrawn")
                        .setCategories(List.of()).setPrice(null).setActive(false).setUpdatedAt(Instant.EPOCH).build());
        kafka.produce(topics.metrics.name(), new StringSerializer(), topics.metrics.valueSerde().serializer(), "0_0",
                ModelMetrics.newBuilder().setTaskId("0_0").setEmittedAt(Instant.now()).setRatingsScored(100)
                        .setRmse(0.75).setPositivesScored(10).setRecallAt10(0.3).build());
        return published;
    }

    /** Answers from the global stores: cold start, similar items, model quality. */
    private static void assertGlobalViews(final String base) throws Exception {
        final JsonNode cold = JSON.readTree(getUntil200(base + "/users/nobody-yet/recommendations?limit=3").body());
        assertThat(cold.get("strategy").asText()).isEqualTo("popular");
        assertThat(cold.get("items").findValuesAsText("itemId")).containsExactly("item-0", "item-1", "item-2");
        final JsonNode similar = JSON.readTree(getUntil200(base + "/items/item-1/similar?limit=2").body());
        assertThat(similar.get("items").findValuesAsText("itemId")).containsExactly("item-2", "item-3");
        assertThat(get(base + "/items/no-such-item/similar").statusCode()).isEqualTo(404);
        assertThat(get(base + "/items/item-old-size/similar").statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(getUntil200(base + "/items/item-withdrawn/similar?limit=1").body())
                .get("items").findValuesAsText("itemId")).as("a withdrawn item keeps its own neighbours")
                .containsExactly("item-2");
        Await.until(WAIT, () -> safeGet(base + "/metrics").contains("streamrec_model_rmse 0.75"),
                () -> "model quality gauge on " + base);
        assertThat(safeGet(base + "/metrics")).contains("kafka_stream_");
        assertThat(safeGet(base + "/metrics")).containsPattern("(?m)^streamrec_item_vectors_skipped 1(\\.0)?$");
    }

    private static void assertMatches(final JsonNode body, final Recommendations expected) {
        assertThat(body.get("userId").asText()).isEqualTo(expected.getUserId());
        assertThat(body.get("strategy").asText()).isEqualTo(expected.getStrategy());
        assertThat(body.get("modelVersion").asLong()).isEqualTo(expected.getModelVersion());
        assertThat(body.get("generatedAt").asText()).isEqualTo(expected.getGeneratedAt().toString());
        assertThat(body.get("items")).hasSize(expected.getItems().size());
        for (int i = 0; i < expected.getItems().size(); i++) {
            assertThat(body.get("items").get(i).get("itemId").asText())
                    .isEqualTo(expected.getItems().get(i).getItemId());
            assertThat(body.get("items").get(i).get("score").asDouble())
                    .isEqualTo(expected.getItems().get(i).getScore());
        }
    }

    private static int partitionOf(final String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    private static boolean ready(final String base) {
        try {
            return get(base + "/health/ready").statusCode() == 200;
        } catch (final IOException | InterruptedException e) {
            return false;
        }
    }

    /** True when /instances lists {@code count} instances, each active for some recommendation partitions. */
    private static boolean holdsPartitions(final String base, final int count) {
        try {
            final JsonNode instances = JSON.readTree(get(base + "/instances").body()).get("instances");
            if (instances == null || instances.size() != count) {
                return false;
            }
            for (final JsonNode instance : instances) {
                if (instance.get("activePartitions").isEmpty()) {
                    return false;
                }
            }
            return true;
        } catch (final IOException | InterruptedException e) {
            return false;
        }
    }

    private static HttpResponse<String> getUntil200(final String url) {
        final List<HttpResponse<String>> last = new ArrayList<>(1);
        Await.until(WAIT, () -> {
            try {
                last.clear();
                last.add(get(url));
                return last.get(0).statusCode() == 200;
            } catch (final IOException | InterruptedException e) {
                return false;
            }
        }, () -> "200 from " + url + ", last: " + (last.isEmpty() ? "none" : last.get(0).statusCode() + " "
                + last.get(0).body()));
        return last.get(0);
    }

    private static HttpResponse<String> get(final String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String safeGet(final String url) {
        try {
            return get(url).body();
        } catch (final IOException | InterruptedException e) {
            return "(" + e + ")";
        }
    }
}
