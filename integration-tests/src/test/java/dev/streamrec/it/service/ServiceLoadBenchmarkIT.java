package dev.streamrec.it.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.it.infra.Await;
import dev.streamrec.it.infra.ItEnvironment;
import dev.streamrec.it.infra.TestKafka;
import dev.streamrec.it.infra.TestRegistry;
import dev.streamrec.schemas.RecommendedItem;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.service.ServiceRuntime;
import dev.streamrec.service.topology.ServiceStores;
import dev.streamrec.updater.topology.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Load figures for {@code GET /users/{id}/recommendations} against one instance, for keys it holds
 * and for keys it forwards to a second instance: requests per second and latency percentiles,
 * printed and written to {@code target/bench-results/service-load.txt}. Figures, not a pass/fail
 * gate (a shared 2-core machine is too noisy for that); only a non-200 answer fails it.
 *
 * <pre>
 * mvn -q -pl integration-tests verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=ServiceLoadBenchmarkIT -Dbench.service=true [-Dbench.connections=4 -Dbench.seconds=10]
 * </pre>
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "bench.service", matches = "true")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServiceLoadBenchmarkIT {
    private static final int PARTITIONS = 4;
    private static final int USERS = 2_000;
    private static final int ITEMS_PER_USER = 20;
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final TestKafka kafka = ItEnvironment.kafka();
    private final TestRegistry registry = ItEnvironment.registry();
    private final List<ServiceRuntime> running = new ArrayList<>();

    @AfterEach
    void stopAll() {
        running.forEach(ServiceRuntime::close);
    }

    @Test
    void localAndForwardedKeys() throws Exception {
        final int connections = Integer.getInteger("bench.connections", 4);
        final Duration measure = Duration.ofSeconds(Integer.getInteger("bench.seconds", 10));
        final Duration warmup = Duration.ofSeconds(Integer.getInteger("bench.warmup.seconds", 4));
        final long maxRequests = 2_000_000;

        final ServiceInstances app = new ServiceInstances(kafka, registry, PARTITIONS);
        final List<String> users = publish(app.topicSpecs());
        final ServiceRuntime a = app.start();
        running.add(a);
        final ServiceRuntime b = app.start();
        running.add(b);
        final HttpClient http = HttpClient.newHttpClient();
        Await.until(WAIT, () -> allAnswered(http, a.port(), users) && allAnswered(http, b.port(), users),
                () -> "both instances answering every user");

        final HostInfo self = new HostInfo("127.0.0.1", a.port());
        final List<String> local = new ArrayList<>();
        final List<String> forwarded = new ArrayList<>();
        for (final String user : users) {
            final KeyQueryMetadata owner = a.streams().queryMetadataForKey(ServiceStores.RECOMMENDATIONS, user,
                    new StringSerializer());
            (self.equals(owner.activeHost()) ? local : forwarded).add("/users/" + user + "/recommendations");
        }
        assertThat(local).isNotEmpty();
        assertThat(forwarded).isNotEmpty();

        final LoadGenerator load = new LoadGenerator("127.0.0.1", a.port(), connections);
        final LoadGenerator.Result localResult = load.run("local", local, warmup, measure, maxRequests);
        final LoadGenerator.Result forwardedResult = load.run("forwarded", forwarded, warmup, measure, maxRequests);

        final String report = String.format("recommender-service load, %s, %d cores, %d connections, %d users x %d"
                        + " items, one instance queried (second instance owns the forwarded keys)%n%s%n%s%n",
                Instant.now(), Runtime.getRuntime().availableProcessors(), connections, USERS, ITEMS_PER_USER,
                localResult, forwardedResult);
        System.out.print(report);
        final Path out = Path.of("target", "bench-results", "service-load.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);

        assertThat(localResult.statuses()).containsOnlyKeys(200);
        assertThat(forwardedResult.statuses()).containsOnlyKeys(200);
    }

    private List<String> publish(final Topics topics) {
        final List<String> users = new ArrayList<>();
        final List<ProducerRecord<String, Recommendations>> recs = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            final String userId = "bench-user-" + u;
            final List<RecommendedItem> items = new ArrayList<>();
            for (int i = 0; i < ITEMS_PER_USER; i++) {
                items.add(new RecommendedItem("item-" + (u * 31 + i) % 5000, 10.0 - i * 0.37, "mf"));
            }
            recs.add(new ProducerRecord<>(topics.recommendations.name(), userId, Recommendations.newBuilder()
                    .setUserId(userId).setItems(items).setStrategy("mf").setModelVersion(u)
                    .setGeneratedAt(Instant.now()).setTriggerIngestTime(Instant.now()).build()));
            users.add(userId);
        }
        kafka.produce(new StringSerializer(), topics.recommendations.valueSerde().serializer(), recs);
        return users;
    }

    /** True when a sample of users, spread over the list, all answer 200. */
    private static boolean allAnswered(final HttpClient http, final int port, final List<String> users) {
        try {
            for (int i = 0; i < users.size(); i += 97) {
                final HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + port + "/users/" + users.get(i) + "/recommendations")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() != 200) {
                    return false;
                }
            }
            return true;
        } catch (final IOException | InterruptedException e) {
            return false;
        }
    }

}
