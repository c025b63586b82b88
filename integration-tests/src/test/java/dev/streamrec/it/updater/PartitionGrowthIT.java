package dev.streamrec.it.updater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.it.infra.Await;
import dev.streamrec.it.infra.ItEnvironment;
import dev.streamrec.it.infra.TestKafka;
import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.schemas.RatingEvent;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.updater.ProfileUpdaterApp;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.topology.Topics;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.tools.StreamsResetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Growing the event topics of a deployed updater, on a real broker: the README's procedure.
 *
 * <p>The updater runs on event topics of 2 partitions and is stopped; the three event topics grow
 * to 4. Most users' keys now hash to another partition than the one whose task holds their
 * profile, factors and de-duplication memory, and the internal topics keep 2 partitions. Started
 * again as it is, the updater must refuse at once, naming the procedure (Kafka Streams itself
 * only fails in its rebalance, about 40 s later and again for each replaced thread, naming one
 * repartition topic). After the procedure (Kafka's reset tool, which deletes the internal topics
 * and here keeps the committed offsets, and the local state deleted) it must run on 4 partitions:
 * every user's profile, old or new, counting exactly the events sent since, none split between
 * two tasks; lists for old and new users; and each item's published factors going on above the
 * versions published before the reset, although the item stage's store starts empty.
 *
 * <p>Not {@code --to-earliest}: the records written before the growth stay on their old
 * partitions, so a replay rebuilt a moved user's history in the task of their old partition while
 * their new events reached another (tried: such a user's profiles counted 8 events three times
 * over, never the 16 sent, while users whose partition stayed counted 16).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PartitionGrowthIT {
    private static final int BEFORE = 2;
    private static final int AFTER = 4;
    private static final int ITEMS = 12;
    private static final int EVENTS_PER_USER = 8;
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    private final TestKafka kafka = ItEnvironment.kafka();

    @Test
    void grownEventTopicsAreRefusedUntilTheApplicationIsResetThenEveryUserGoesOnOnTheNewPartitions()
            throws ExecutionException, InterruptedException, IOException {
        final Map<String, String> settings = UpdaterApps.isolatedSettings(BEFORE, Map.of(
                "recommendations.min.user.interval.ms", "0"));
        final UpdaterConfig config = UpdaterConfig.of(settings);
        final Topics topics = new Topics(config);
        final List<String> eventTopics = List.of(topics.clicks.name(), topics.purchases.name(), topics.ratings.name());
        final Instant now = Instant.now();
        // Old users: some keep their partition when the topics grow (key hash % 4 below 2), the
        // others move; new users land on the partitions that did not exist.
        final List<String> oldUsers = users("old", 8);
        final List<String> newUsers = users("new", 8);
        assertThat(oldUsers).anyMatch(user -> partition(user, AFTER) >= BEFORE).anyMatch(user -> partition(user, AFTER) < BEFORE);
        assertThat(newUsers).anyMatch(user -> partition(user, AFTER) >= BEFORE);

        final Map<String, Long> eventsBefore = new HashMap<>();
        final KafkaStreams first = ProfileUpdaterApp.start(config);
        try {
            produceCatalog(topics);
            produceEvents(topics, oldUsers, "before", now.minus(Duration.ofHours(1)), eventsBefore);
            awaitProfiles(topics, eventsBefore, Map.of());
            awaitRecommendations(topics, oldUsers, Map.of());
            kafka.awaitConsumed(config.applicationId(), eventTopics, DEADLINE);
        } finally {
            first.close(Duration.ofSeconds(30));
        }
        final Map<String, Long> versionsBefore = new HashMap<>();
        kafka.consumeToEnd(topics.itemFactors.name(), new StringDeserializer(), topics.itemFactors.valueSerde().deserializer(),
                DEADLINE).forEach(r -> versionsBefore.merge(r.key(), r.value().getVersion(), Math::max));
        assertThat(versionsBefore).as("item factors published before the growth").isNotEmpty();
        final Map<TopicPartition, Long> itemFactorsMark = endOffsets(topics.itemFactors.name());
        final Map<TopicPartition, Long> recommendationsMark = endOffsets(topics.recommendations.name());

        kafka.adminClient().createPartitions(eventTopics.stream().collect(Collectors.toMap(topic -> topic,
                topic -> NewPartitions.increaseTo(AFTER)))).all().get();
        Await.until(DEADLINE, () -> partitionCounts(eventTopics).values().stream().allMatch(count -> count == AFTER),
                () -> "the event topics to have " + AFTER + " partitions");

        assertThatThrownBy(() -> ProfileUpdaterApp.start(config).close(Duration.ofSeconds(30)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("have " + AFTER + " partitions")
                .hasMessageContaining(config.applicationId() + "-profile-store-changelog has " + BEFORE)
                .hasMessageContaining(config.applicationId() + "-item-steps-repartition has " + BEFORE)
                .hasMessageContaining("kafka-streams-application-reset.sh --application-id " + config.applicationId());

        // The procedure: every instance stopped (above), the reset tool, the local state deleted.
        // No --input-topics: the committed offsets stay, so nothing is processed twice and the
        // new partitions are read from their start. --force: the stopped instance's members stay
        // in the group until their session times out (Kafka Streams does not leave the group on
        // close), and the tool refuses a group with members.
        final Map<TopicPartition, Long> profilesMark = endOffsets(topics.profiles.name());
        final int exit = new StreamsResetter().execute(new String[] {
            "--application-id", config.applicationId(),
            "--bootstrap-server", kafka.bootstrapServers(),
            "--force"});
        assertThat(exit).as("StreamsResetter's exit code").isZero();
        Utils.delete(new File(config.stateDir(), config.applicationId()));

        final KafkaStreams second = ProfileUpdaterApp.start(config);
        try {
            final Instant later = Instant.now();
            final Map<String, Long> eventsAfter = new HashMap<>();
            produceEvents(topics, oldUsers, "after", later.minus(Duration.ofMinutes(30)), eventsAfter);
            produceEvents(topics, newUsers, "after", later.minus(Duration.ofMinutes(30)), eventsAfter);
            // The users' state went with the internal topics: a profile counts the events sent
            // since, exactly, whether its user's partition moved or not.
            awaitProfiles(topics, eventsAfter, profilesMark);
            awaitRecommendations(topics, newUsers, recommendationsMark);
            awaitRecommendations(topics, oldUsers, recommendationsMark);
            assertThat(partitionCounts(List.of(config.applicationId() + "-profile-store-changelog",
                    config.applicationId() + "-item-steps-repartition", config.applicationId() + "-item-factors-store-changelog")))
                    .as("internal topics recreated on the new partition count").allSatisfy((topic, count) ->
                            assertThat(count).as(topic).isEqualTo(AFTER));

            final Map<String, List<Long>> versionsAfter = new HashMap<>();
            final Set<String> learntItems = IntStream.range(0, ITEMS).mapToObj(PartitionGrowthIT::itemId)
                    .filter(versionsBefore::containsKey).collect(Collectors.toSet());
            kafka.consumeUntil(topics.itemFactors.name(), new StringDeserializer(), topics.itemFactors.valueSerde().deserializer(),
                    (List<ConsumerRecord<String, ItemFactors>> records) -> {
                        versionsAfter.clear();
                        records.stream().filter(r -> r.offset() >= itemFactorsMark.get(new TopicPartition(r.topic(), r.partition())))
                                .forEach(r -> versionsAfter.computeIfAbsent(r.key(), item -> new ArrayList<>()).add(r.value().getVersion()));
                        return versionsAfter.keySet().containsAll(learntItems);
                    }, DEADLINE);
            System.out.printf("item factor versions: before the growth %s; first after the reset %s%n",
                    new java.util.TreeMap<>(versionsBefore), versionsAfter.entrySet().stream().collect(Collectors.toMap(
                            Map.Entry::getKey, e -> e.getValue().get(0), (a, b) -> a, java.util.TreeMap::new)));
            versionsAfter.forEach((item, versions) -> {
                if (versionsBefore.containsKey(item)) {
                    assertThat(versions).as("versions of %s published after the reset", item)
                            .allSatisfy(version -> assertThat(version).isGreaterThan(versionsBefore.get(item)));
                }
            });
        } finally {
            second.close(Duration.ofSeconds(30));
        }
    }

    private static List<String> users(final String prefix, final int count) {
        return IntStream.range(0, count).mapToObj(n -> prefix + "-" + n).toList();
    }

    /** The partition the default partitioner gives {@code key} among {@code partitions}. */
    private static int partition(final String key, final int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static String itemId(final int index) {
        return "item-" + index;
    }

    private void produceCatalog(final Topics topics) {
        final List<ProducerRecord<String, Item>> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            items.add(new ProducerRecord<>(topics.catalog.name(), itemId(i), Item.newBuilder().setItemId(itemId(i))
                    .setCategories(List.of("c" + i % 3)).setPrice(10.0).build()));
        }
        kafka.produce(new StringSerializer(), topics.catalog.valueSerde().serializer(), items);
    }

    /**
     * Sends {@link #EVENTS_PER_USER} events per user, clicks and ratings alternately, a minute apart
     * from {@code start} (a burst would be flagged as a bot), and counts them in {@code expected}.
     */
    private void produceEvents(final Topics topics, final List<String> users, final String round, final Instant start,
                               final Map<String, Long> expected) {
        final List<ProducerRecord<String, ClickEvent>> clicks = new ArrayList<>();
        final List<ProducerRecord<String, RatingEvent>> ratings = new ArrayList<>();
        for (int u = 0; u < users.size(); u++) {
            final String user = users.get(u);
            for (int n = 0; n < EVENTS_PER_USER; n++) {
                final String eventId = round + "-" + user + "-" + n;
                final String item = itemId((u + n) % ITEMS);
                final Instant time = start.plus(Duration.ofMinutes(n));
                if (n % 2 == 0) {
                    clicks.add(new ProducerRecord<>(topics.clicks.name(), user, ClickEvent.newBuilder().setEventId(eventId)
                            .setUserId(user).setItemId(item).setEventTime(time).build()));
                } else {
                    ratings.add(new ProducerRecord<>(topics.ratings.name(), user, RatingEvent.newBuilder().setEventId(eventId)
                            .setUserId(user).setItemId(item).setEventTime(time).setRating(1 + (u + n) % 5).build()));
                }
            }
            expected.merge(user, (long) EVENTS_PER_USER, Long::sum);
        }
        kafka.produce(new StringSerializer(), topics.clicks.valueSerde().serializer(), clicks);
        kafka.produce(new StringSerializer(), topics.ratings.valueSerde().serializer(), ratings);
    }

    /**
     * Reads the profiles published at or after the offsets {@code from} (0 where absent) until each
     * user's latest counts its expected events, then checks that none counts more.
     */
    private void awaitProfiles(final Topics topics, final Map<String, Long> expected, final Map<TopicPartition, Long> from) {
        final Map<String, UserProfile> latest = new HashMap<>();
        kafka.consumeUntil(topics.profiles.name(), new StringDeserializer(), topics.profiles.valueSerde().deserializer(),
                (List<ConsumerRecord<String, UserProfile>> records) -> {
                    latest.clear();
                    records.stream().filter(r -> r.offset() >= from.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L))
                            .forEach(r -> latest.put(r.key(), r.value()));
                    return expected.entrySet().stream().allMatch(e -> latest.containsKey(e.getKey())
                            && events(latest.get(e.getKey())) >= e.getValue());
                }, DEADLINE);
        expected.forEach((user, events) -> assertThat(events(latest.get(user))).as("events in %s's profile", user)
                .isEqualTo(events));
    }

    private static long events(final UserProfile profile) {
        return profile.getClickCount() + profile.getPurchaseCount() + profile.getRatingCount();
    }

    /** Waits for a list for each of {@code users} at or after the offsets {@code from} (by partition; 0 where absent). */
    private void awaitRecommendations(final Topics topics, final List<String> users, final Map<TopicPartition, Long> from) {
        kafka.consumeUntil(topics.recommendations.name(), new StringDeserializer(),
                topics.recommendations.valueSerde().deserializer(),
                (List<ConsumerRecord<String, Recommendations>> records) -> records.stream()
                        .filter(r -> r.offset() >= from.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L))
                        .map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(users),
                DEADLINE);
    }

    private Map<TopicPartition, Long> endOffsets(final String topic) throws ExecutionException, InterruptedException {
        final TopicDescription description = kafka.adminClient().describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        final Map<TopicPartition, OffsetSpec> latest = description.partitions().stream().collect(Collectors.toMap(
                p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        final Map<TopicPartition, Long> ends = new HashMap<>();
        kafka.adminClient().listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    private Map<String, Integer> partitionCounts(final List<String> topics) {
        try {
            return kafka.adminClient().describeTopics(topics).allTopicNames().get().values().stream()
                    .collect(Collectors.toMap(TopicDescription::name, description -> description.partitions().size()));
        } catch (final ExecutionException e) {
            throw new IllegalStateException("Cannot describe " + topics, e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing " + topics, e);
        }
    }
}
