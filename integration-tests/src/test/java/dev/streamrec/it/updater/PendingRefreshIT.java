package dev.streamrec.it.updater;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.it.infra.ItEnvironment;
import dev.streamrec.it.infra.TestKafka;
import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.updater.ProfileUpdaterApp;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.topology.Topics;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A user whose events were committed but whose recommendation list was not yet published when the
 * application stopped gets that list after the restart, without a new event: the user stage's
 * refresh watermark is committed with the profiles, and a reopened task re-marks every user whose
 * profile changed since it.
 *
 * <p>The first run refreshes once an hour, so it publishes no list at all; it stops once every
 * user's profile is committed. The second run has a state directory of its own, as an instance
 * taking the tasks over would, so it must find the waiting users from the changelogs alone.
 */
class PendingRefreshIT {
    private static final int USERS = 12;

    @Test
    @Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    void usersAwaitingAListAtAStopGetItAfterTheRestartWithoutNewEvents() throws Exception {
        final TestKafka kafka = ItEnvironment.kafka();
        final Map<String, String> settings = UpdaterApps.isolatedSettings(2, Map.of(
                "recommendations.refresh.interval.ms", String.valueOf(Duration.ofHours(1).toMillis())));
        final UpdaterConfig neverRefreshing = UpdaterConfig.of(settings);
        final Topics topics = new Topics(neverRefreshing);

        KafkaStreams app = ProfileUpdaterApp.start(neverRefreshing);
        try {
            final List<ProducerRecord<String, Item>> catalog = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                catalog.add(new ProducerRecord<>(topics.catalog.name(), "item-" + i, Item.newBuilder()
                        .setItemId("item-" + i).setCategories(List.of("c" + i % 2)).setPrice(5.0).build()));
            }
            kafka.produce(new StringSerializer(), topics.catalog.valueSerde().serializer(), catalog);
            final Instant now = Instant.now();
            final List<ProducerRecord<String, ClickEvent>> clicks = new ArrayList<>();
            for (int user = 0; user < USERS; user++) {
                for (int n = 0; n < 3; n++) {
                    clicks.add(new ProducerRecord<>(topics.clicks.name(), "user-" + user, ClickEvent.newBuilder()
                            .setEventId("e" + user + "-" + n).setUserId("user-" + user).setItemId("item-" + (user + n) % 10)
                            .setEventTime(now.minusSeconds(60).plusMillis(n)).build()));
                }
            }
            kafka.produce(new StringSerializer(), topics.clicks.valueSerde().serializer(), clicks);
            // Every user's third click committed: the user stage has seen all of them.
            kafka.consumeUntil(topics.profiles.name(), new StringDeserializer(), topics.profiles.valueSerde().deserializer(),
                    (List<ConsumerRecord<String, UserProfile>> records) -> records.stream()
                            .filter(r -> r.value().getClickCount() == 3).map(ConsumerRecord::key).distinct().count() == USERS,
                    Duration.ofMinutes(2));
        } finally {
            app.close(Duration.ofSeconds(30));
        }
        assertThat(endOffsetSum(kafka, topics.recommendations.name())).as("no list was published before the stop")
                .isZero();

        final Instant restarted = Instant.now();
        final Map<String, String> refreshing = new HashMap<>(settings);
        refreshing.put("recommendations.refresh.interval.ms", "200");
        refreshing.put("state.dir", Files.createTempDirectory(ItEnvironment.workDir(), "other-instance-").toString());
        app = ProfileUpdaterApp.start(UpdaterConfig.of(refreshing));
        try {
            final List<ConsumerRecord<String, Recommendations>> lists = kafka.consumeUntil(topics.recommendations.name(),
                    new StringDeserializer(), topics.recommendations.valueSerde().deserializer(),
                    records -> records.stream().map(ConsumerRecord::key).distinct().count() == USERS,
                    Duration.ofMinutes(2));
            final Set<String> users = lists.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
            assertThat(users).hasSize(USERS);
            assertThat(lists).allSatisfy(list -> assertThat(list.value().getTriggerIngestTime())
                    .as("the list reflects events ingested before the restart").isBefore(restarted));
        } finally {
            app.close(Duration.ofSeconds(30));
        }
    }

    private static long endOffsetSum(final TestKafka kafka, final String topic) throws Exception {
        final int partitions = kafka.adminClient().describeTopics(List.of(topic)).allTopicNames().get().get(topic)
                .partitions().size();
        final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return kafka.adminClient().listOffsets(latest).all().get().values().stream()
                .mapToLong(info -> info.offset()).sum();
    }
}
