package dev.streamrec.updater;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.PurchaseEvent;
import dev.streamrec.schemas.RatingEvent;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.serde.InMemorySchemaRegistry;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.topology.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;

/**
 * One {@link TopologyTestDriver} over the real topology with a private {@code mock://} registry
 * and a controlled wall clock starting at {@link #START}.
 */
final class TopologyFixture implements AutoCloseable {
    static final Instant START = Instant.parse("2026-06-01T12:00:00Z");

    final String scope = "ttd-" + UUID.randomUUID();
    final UpdaterConfig config;
    final Topics topics;
    final TopologyTestDriver driver;
    final TestInputTopic<String, ClickEvent> clicks;
    final TestInputTopic<String, PurchaseEvent> purchases;
    final TestInputTopic<String, RatingEvent> ratings;
    final TestInputTopic<String, Item> catalog;
    final TestInputTopic<byte[], byte[]> rawClicks;
    final TestOutputTopic<String, UserProfile> profiles;
    final TestOutputTopic<byte[], byte[]> deadLetters;

    TopologyFixture() {
        this(Map.of());
    }

    TopologyFixture(final Map<String, String> overrides) {
        final Map<String, String> settings = new HashMap<>(overrides);
        settings.put("schema.registry.url", "mock://" + scope);
        settings.putIfAbsent("state.dir", System.getProperty("java.io.tmpdir") + "/streamrec-ttd-" + scope);
        config = UpdaterConfig.of(settings);
        topics = new Topics(config);
        final Topology topology = ProfileUpdaterTopology.build(config);
        final Properties props = config.streamsProperties();
        driver = new TopologyTestDriver(topology, props, START);
        clicks = driver.createInputTopic(topics.clicks.name(), new StringSerializer(), topics.clicks.valueSerde().serializer());
        purchases = driver.createInputTopic(topics.purchases.name(), new StringSerializer(), topics.purchases.valueSerde().serializer());
        ratings = driver.createInputTopic(topics.ratings.name(), new StringSerializer(), topics.ratings.valueSerde().serializer());
        catalog = driver.createInputTopic(topics.catalog.name(), new StringSerializer(), topics.catalog.valueSerde().serializer());
        rawClicks = driver.createInputTopic(topics.clicks.name(), new ByteArraySerializer(), new ByteArraySerializer());
        profiles = driver.createOutputTopic(topics.profiles.name(), new StringDeserializer(), topics.profiles.valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.deadLetter, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    Instant now() {
        return START.plus(Duration.ofMillis(driverWallClockOffset));
    }

    private long driverWallClockOffset;

    void advanceWallClock(final Duration by) {
        driver.advanceWallClockTime(by);
        driverWallClockOffset += by.toMillis();
    }

    static ClickEvent click(final String eventId, final String userId, final String itemId, final Instant time) {
        return ClickEvent.newBuilder().setEventId(eventId).setUserId(userId).setItemId(itemId).setEventTime(time).build();
    }

    static PurchaseEvent purchase(final String eventId, final String userId, final String itemId, final Instant time,
                                  final int quantity, final double price) {
        return PurchaseEvent.newBuilder().setEventId(eventId).setUserId(userId).setItemId(itemId).setEventTime(time)
                .setQuantity(quantity).setUnitPrice(price).build();
    }

    static RatingEvent rating(final String eventId, final String userId, final String itemId, final Instant time,
                              final double rating) {
        return RatingEvent.newBuilder().setEventId(eventId).setUserId(userId).setItemId(itemId).setEventTime(time)
                .setRating(rating).build();
    }

    static Item item(final String itemId, final double price, final String... categories) {
        return Item.newBuilder().setItemId(itemId).setTitle("Item " + itemId).setCategories(List.of(categories))
                .setPrice(price).setActive(true).setUpdatedAt(START).build();
    }

    /** The latest profile per user among everything published so far. */
    Map<String, UserProfile> latestProfiles() {
        final Map<String, UserProfile> latest = new LinkedHashMap<>();
        for (final TestRecord<String, UserProfile> record : profiles.readRecordsToList()) {
            latest.put(record.key(), record.value());
        }
        return latest;
    }

    @Override
    public void close() {
        driver.close();
        InMemorySchemaRegistry.dropScope(scope);
    }
}
