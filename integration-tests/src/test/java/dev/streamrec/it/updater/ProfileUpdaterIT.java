package dev.streamrec.it.updater;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.it.infra.ItEnvironment;
import dev.streamrec.it.infra.TestKafka;
import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.PurchaseEvent;
import dev.streamrec.schemas.RatingEvent;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.updater.ProfileUpdaterApp;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.errors.DeadLetters;
import dev.streamrec.updater.topology.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The first half of the pipeline end to end on a real broker and a real registry: 20,000 seeded
 * events over 500 users on 4 partitions, with about 5 % producer retries (duplicates), 3 % invalid
 * events, 2 % events keyed by something other than their user, and a few corrupt byte records.
 * The profiles read back must equal profiles computed here, independently, from the same input;
 * the dead-letter topic must hold exactly the invalid and corrupt records; and a restart on the
 * same state must change nothing, nor must a replacement instance that restores its state from the
 * changelogs.
 */
class ProfileUpdaterIT {
    private static final int USERS = 500;
    private static final int ITEMS = 400;
    private static final int EVENTS = 20_000;
    private static final Duration DEADLINE = Duration.ofMinutes(3);

    /** What the test expects of one user, computed from the generated input only. */
    private static final class Expected {
        long clicks;
        long purchases;
        long ratings;
        double spend;
        double ratingSum;
        final Set<String> items = new HashSet<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;

        long total() {
            return clicks + purchases + ratings;
        }
    }

    private record Generated(List<ProducerRecord<String, Object>> records, Map<String, Expected> expected,
                             Map<String, Integer> invalidByReason, List<ProducerRecord<String, Object>> validOnes) {
    }

    @Test
    @Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
    void profilesMatchAnIndependentComputationAndSurviveARestart() {
        final TestKafka kafka = ItEnvironment.kafka();
        final Map<String, String> settings = UpdaterApps.isolatedSettings(4, Map.of());
        final UpdaterConfig config = UpdaterConfig.of(settings);
        final Topics topics = new Topics(config);
        final Instant now = Instant.now();
        final Generated input = generate(new SplittableRandom(20_260_601L), topics, now);

        final KafkaStreams app = ProfileUpdaterApp.start(config);
        try {
            produceCatalog(kafka, topics);
            produceAll(kafka, topics, input.records());
            final List<byte[]> corrupt = List.of(new byte[] {0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xfe},
                    "not avro".getBytes(), new byte[] {0, 0x7f, 0, 0, 0, 2, 65}, new byte[] {1, 2});
            kafka.produce(new ByteArraySerializer(), new ByteArraySerializer(), corrupt.stream()
                    .map(bytes -> new ProducerRecord<>(topics.clicks.name(), "u-0".getBytes(), bytes)).toList());

            final Map<String, UserProfile> profiles = latestProfilesWhenComplete(kafka, topics, input.expected());
            assertProfilesEqual(profiles, input.expected());

            final int invalid = input.invalidByReason().values().stream().mapToInt(Integer::intValue).sum();
            // Every input processed and committed first, then the dead-letter topic read to its end:
            // a dead letter too many fails the size check, not only one too few.
            kafka.awaitConsumed(config.applicationId(), inputTopics(topics), DEADLINE);
            final List<ConsumerRecord<byte[], byte[]>> dead = kafka.consumeToEnd(config.topics().dlq(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer(), DEADLINE);
            assertThat(dead).hasSize(invalid + corrupt.size());
            final Map<String, Integer> reasons = new TreeMap<>();
            dead.forEach(r -> reasons.merge(DeadLetters.header(r.headers(), DeadLetters.REASON), 1, Integer::sum));
            final Map<String, Integer> expectedReasons = new TreeMap<>(input.invalidByReason());
            expectedReasons.merge("CORRUPT_RECORD", 3, Integer::sum);
            expectedReasons.merge("UNKNOWN_SCHEMA", 1, Integer::sum);
            assertThat(reasons).isEqualTo(expectedReasons);
            assertThat(dead).allSatisfy(r -> assertThat(DeadLetters.header(r.headers(), DeadLetters.TOPIC))
                    .isIn(topics.clicks.name(), topics.purchases.name(), topics.ratings.name()));
            final Set<String> corruptSeen = dead.stream().filter(r -> topics.clicks.name().equals(
                            DeadLetters.header(r.headers(), DeadLetters.TOPIC)) && isCorrupt(r))
                    .map(r -> java.util.Arrays.toString(r.value())).collect(Collectors.toSet());
            assertThat(corruptSeen).containsExactlyInAnyOrderElementsOf(
                    corrupt.stream().map(java.util.Arrays::toString).toList());
        } finally {
            app.close(Duration.ofSeconds(30));
        }

        // Restart on the same state and the same application id, then replay producer retries of
        // events already counted: nothing may be counted twice.
        retriesCountNothing(kafka, config, topics, input, now, input.validOnes().subList(0, 300),
                new ProducerRecord<>(topics.clicks.name(), "u-0", ClickEvent.newBuilder().setEventId("after-restart")
                        .setUserId("u-0").setItemId("item-1").setEventTime(now).build()));

        // A replacement instance on an empty state directory restores the profiles, and with them
        // the users' de-duplication memory, from the changelogs: retries of other events already
        // counted still count nothing.
        final Map<String, String> replacement = new HashMap<>(settings);
        replacement.put("state.dir", settings.get("state.dir") + "-replacement");
        retriesCountNothing(kafka, UpdaterConfig.of(replacement), topics, input, now, input.validOnes().subList(300, 600),
                new ProducerRecord<>(topics.clicks.name(), "u-1", ClickEvent.newBuilder().setEventId("after-replacement")
                        .setUserId("u-1").setItemId("item-2").setEventTime(now).build()));
    }

    /**
     * Starts the application with {@code config}, sends {@code retries} of events already counted
     * and then one new click, {@code marker}, and checks that the profiles equal the independent
     * computation with only the marker added.
     */
    private static void retriesCountNothing(final TestKafka kafka, final UpdaterConfig config, final Topics topics,
                                            final Generated input, final Instant now,
                                            final List<ProducerRecord<String, Object>> retries,
                                            final ProducerRecord<String, Object> marker) {
        final KafkaStreams app = ProfileUpdaterApp.start(config);
        try {
            produceAll(kafka, topics, retries);
            produceAll(kafka, topics, List.of(marker));
            final ClickEvent click = (ClickEvent) marker.value();
            final Expected markerExpected = input.expected().get(click.getUserId());
            markerExpected.clicks++;
            markerExpected.items.add(click.getItemId());
            markerExpected.last = Math.max(markerExpected.last, now.toEpochMilli());
            // Every retry processed (not just the marker's partition), so none can arrive after the check.
            kafka.awaitConsumed(config.applicationId(), inputTopics(topics), DEADLINE);

            final Map<String, UserProfile> profiles = latestProfilesWhenComplete(kafka, topics, input.expected());
            assertProfilesEqual(profiles, input.expected());
        } finally {
            app.close(Duration.ofSeconds(30));
        }
    }

    private static List<String> inputTopics(final Topics topics) {
        return List.of(topics.clicks.name(), topics.purchases.name(), topics.ratings.name());
    }

    private static boolean isCorrupt(final ConsumerRecord<byte[], byte[]> record) {
        final String reason = DeadLetters.header(record.headers(), DeadLetters.REASON);
        return "CORRUPT_RECORD".equals(reason) || "UNKNOWN_SCHEMA".equals(reason);
    }

    private static Map<String, UserProfile> latestProfilesWhenComplete(final TestKafka kafka, final Topics topics,
                                                                       final Map<String, Expected> expected) {
        final Map<String, UserProfile> latest = new HashMap<>();
        final int[] consumed = {0};
        kafka.consumeUntil(topics.profiles.name(), new StringDeserializer(), topics.profiles.valueSerde().deserializer(),
                records -> {
                    for (; consumed[0] < records.size(); consumed[0]++) {
                        final ConsumerRecord<String, UserProfile> r = records.get(consumed[0]);
                        latest.put(r.key(), r.value());
                    }
                    return expected.entrySet().stream().allMatch(e -> latest.containsKey(e.getKey())
                            && total(latest.get(e.getKey())) >= e.getValue().total());
                }, DEADLINE);
        return latest;
    }

    private static long total(final UserProfile p) {
        return p.getClickCount() + p.getPurchaseCount() + p.getRatingCount();
    }

    private static void assertProfilesEqual(final Map<String, UserProfile> actual, final Map<String, Expected> expected) {
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((user, e) -> {
            final UserProfile p = actual.get(user);
            assertThat(p.getClickCount()).as("clicks of %s", user).isEqualTo(e.clicks);
            assertThat(p.getPurchaseCount()).as("purchases of %s", user).isEqualTo(e.purchases);
            assertThat(p.getRatingCount()).as("ratings of %s", user).isEqualTo(e.ratings);
            assertThat(p.getDistinctItems()).as("distinct items of %s", user).isEqualTo(e.items.size());
            assertThat(p.getTotalSpend()).as("spend of %s", user).isCloseTo(e.spend, org.assertj.core.data.Offset.offset(1e-6));
            assertThat(p.getRatingSum()).as("rating sum of %s", user).isCloseTo(e.ratingSum, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(p.getFirstEventTime().toEpochMilli()).as("first event of %s", user).isEqualTo(e.first);
            assertThat(p.getLastEventTime().toEpochMilli()).as("last event of %s", user).isEqualTo(e.last);
        });
    }

    private static void produceCatalog(final TestKafka kafka, final Topics topics) {
        final List<ProducerRecord<String, Item>> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            items.add(new ProducerRecord<>(topics.catalog.name(), "item-" + i, Item.newBuilder().setItemId("item-" + i)
                    .setCategories(List.of("cat-" + (i % 12))).setPrice(1.0 + i % 50).build()));
        }
        kafka.produce(new StringSerializer(), topics.catalog.valueSerde().serializer(), items);
    }

    @SuppressWarnings("unchecked")
    private static void produceAll(final TestKafka kafka, final Topics topics, final List<ProducerRecord<String, Object>> records) {
        final Map<String, Serializer<Object>> serializers = Map.of(
                topics.clicks.name(), (Serializer<Object>) (Serializer<?>) topics.clicks.valueSerde().serializer(),
                topics.purchases.name(), (Serializer<Object>) (Serializer<?>) topics.purchases.valueSerde().serializer(),
                topics.ratings.name(), (Serializer<Object>) (Serializer<?>) topics.ratings.valueSerde().serializer());
        final Serializer<Object> byTopic = new Serializer<>() {
            @Override
            public byte[] serialize(final String topic, final Object data) {
                return serializers.get(topic).serialize(topic, data);
            }
        };
        kafka.produce(new StringSerializer(), byTopic, records);
    }

    /** Seeded input and, computed from it alone, the profiles and dead letters it must produce. */
    private static Generated generate(final SplittableRandom random, final Topics topics, final Instant now) {
        final List<ProducerRecord<String, Object>> records = new ArrayList<>();
        final List<ProducerRecord<String, Object>> valid = new ArrayList<>();
        final Map<String, Expected> expected = new HashMap<>();
        final Map<String, Integer> invalid = new TreeMap<>();
        for (int n = 0; n < EVENTS; n++) {
            final String user = "u-" + random.nextInt(USERS);
            final String item = "item-" + random.nextInt(ITEMS + 20); // a few items never in the catalog
            final Instant time = now.minusMillis(random.nextLong(2 * 3_600_000L));
            final String eventId = "ev-" + n;
            final double kind = random.nextDouble();
            final double fault = random.nextDouble();
            Object event;
            String reason = null;
            if (kind < 0.6) {
                event = ClickEvent.newBuilder().setEventId(eventId).setUserId(user).setItemId(item).setEventTime(time).build();
            } else if (kind < 0.8) {
                final int quantity = 1 + random.nextInt(3);
                final double price = Math.round(random.nextDouble() * 10_000) / 100.0;
                event = PurchaseEvent.newBuilder().setEventId(eventId).setUserId(user).setItemId(item).setEventTime(time)
                        .setQuantity(quantity).setUnitPrice(price).build();
            } else {
                event = RatingEvent.newBuilder().setEventId(eventId).setUserId(user).setItemId(item).setEventTime(time)
                        .setRating(1 + random.nextInt(9) * 0.5).build();
            }
            if (fault < 0.03) { // invalid, one rule at a time
                final int rule = random.nextInt(4);
                if (rule == 0) {
                    reason = "EVENT_TOO_OLD";
                    setTime(event, now.minus(Duration.ofDays(40)));
                } else if (rule == 1) {
                    reason = "EVENT_IN_FUTURE";
                    setTime(event, now.plus(Duration.ofHours(1)));
                } else if (rule == 2) {
                    reason = "MISSING_ID";
                    setItem(event, " ");
                } else {
                    reason = "ID_TOO_LONG";
                    setItem(event, "x".repeat(200));
                }
            }
            final String topic = event instanceof ClickEvent ? topics.clicks.name()
                    : event instanceof PurchaseEvent ? topics.purchases.name() : topics.ratings.name();
            final String key = fault > 0.98 ? (fault > 0.99 ? null : "someone-else") : user;
            final ProducerRecord<String, Object> record = new ProducerRecord<>(topic, key, event);
            records.add(record);
            if (reason != null) {
                invalid.merge(reason, 1, Integer::sum);
                continue;
            }
            valid.add(record);
            count(expected.computeIfAbsent(user, u -> new Expected()), event, item, time.toEpochMilli());
            if (random.nextDouble() < 0.05) {
                records.add(new ProducerRecord<>(topic, key, event)); // a producer retry: same event id
            }
        }
        java.util.Collections.shuffle(valid, new java.util.Random(random.nextLong()));
        return new Generated(records, expected, invalid, valid);
    }

    private static void count(final Expected e, final Object event, final String item, final long time) {
        if (event instanceof ClickEvent) {
            e.clicks++;
        } else if (event instanceof PurchaseEvent p) {
            e.purchases++;
            e.spend += p.getQuantity() * p.getUnitPrice();
        } else {
            e.ratings++;
            e.ratingSum += ((RatingEvent) event).getRating();
        }
        e.items.add(item);
        e.first = Math.min(e.first, time);
        e.last = Math.max(e.last, time);
    }

    private static void setTime(final Object event, final Instant time) {
        if (event instanceof ClickEvent c) {
            c.setEventTime(time);
        } else if (event instanceof PurchaseEvent p) {
            p.setEventTime(time);
        } else {
            ((RatingEvent) Objects.requireNonNull(event)).setEventTime(time);
        }
    }

    private static void setItem(final Object event, final String itemId) {
        if (event instanceof ClickEvent c) {
            c.setItemId(itemId);
        } else if (event instanceof PurchaseEvent p) {
            p.setItemId(itemId);
        } else {
            ((RatingEvent) event).setItemId(itemId);
        }
    }
}
