package dev.streamrec.updater;

import static dev.streamrec.updater.TopologyTestSupport.START;
import static dev.streamrec.updater.TopologyTestSupport.click;
import static dev.streamrec.updater.TopologyTestSupport.item;
import static dev.streamrec.updater.TopologyTestSupport.purchase;
import static dev.streamrec.updater.TopologyTestSupport.rating;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.updater.clean.Deduplicator;
import dev.streamrec.updater.clean.RecentEvents;
import dev.streamrec.updater.clean.RejectReason;
import dev.streamrec.updater.errors.DeadLetters;
import dev.streamrec.updater.topology.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Validation, dead letters, re-keying, de-duplication and catalog enrichment through the real topology. */
class CleaningTopologyTest {
    private final TopologyTestSupport fx = new TopologyTestSupport();

    @AfterEach
    void close() {
        fx.close();
    }

    private static final Instant T = START.minusSeconds(60);

    static List<Arguments> invalidEvents() {
        final String longId = "x".repeat(129);
        return List.of(
                Arguments.of("blank user", (Runnable) null, RejectReason.MISSING_ID, "click", click("e1", "  ", "i1", T)),
                Arguments.of("long item id", null, RejectReason.ID_TOO_LONG, "click", click("e1", "u1", longId, T)),
                Arguments.of("blank event id", null, RejectReason.MISSING_ID, "click", click("", "u1", "i1", T)),
                Arguments.of("rating above scale", null, RejectReason.RATING_OUT_OF_RANGE, "rating", rating("e1", "u1", "i1", T, 5.5)),
                Arguments.of("rating below scale", null, RejectReason.RATING_OUT_OF_RANGE, "rating", rating("e1", "u1", "i1", T, 0.5)),
                Arguments.of("rating off step", null, RejectReason.RATING_OUT_OF_RANGE, "rating", rating("e1", "u1", "i1", T, 3.25)),
                Arguments.of("rating NaN", null, RejectReason.RATING_OUT_OF_RANGE, "rating", rating("e1", "u1", "i1", T, Double.NaN)),
                Arguments.of("zero quantity", null, RejectReason.INVALID_QUANTITY, "purchase", purchase("e1", "u1", "i1", T, 0, 3.0)),
                Arguments.of("negative price", null, RejectReason.INVALID_PRICE, "purchase", purchase("e1", "u1", "i1", T, 1, -1.0)),
                Arguments.of("infinite price", null, RejectReason.INVALID_PRICE, "purchase", purchase("e1", "u1", "i1", T, 1, Double.POSITIVE_INFINITY)),
                Arguments.of("future", null, RejectReason.EVENT_IN_FUTURE, "click", click("e1", "u1", "i1", START.plus(Duration.ofMinutes(6)))),
                Arguments.of("too old", null, RejectReason.EVENT_TOO_OLD, "click", click("e1", "u1", "i1", START.minus(Duration.ofDays(31)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void eachRuleDeadLettersItsExampleAndLetsValidNeighboursThrough(final String name, final Runnable unused,
                                                                     final RejectReason reason, final String stream,
                                                                     final Object event) {
        fx.clicks.pipeInput("u1", click("before", "u1", "i1", T), T);
        switch (stream) {
            case "click" -> fx.clicks.pipeInput("u1", (ClickEvent) event, T);
            case "rating" -> fx.ratings.pipeInput("u1", (dev.streamrec.schemas.RatingEvent) event, T);
            case "purchase" -> fx.purchases.pipeInput("u1", (dev.streamrec.schemas.PurchaseEvent) event, T);
            default -> throw new IllegalArgumentException(stream);
        }
        fx.clicks.pipeInput("u1", click("after", "u1", "i2", T), T);

        final List<TestRecord<byte[], byte[]>> dead = fx.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        final TestRecord<byte[], byte[]> letter = dead.get(0);
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).isEqualTo(reason.name());
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.TOPIC)).isEqualTo("events." + stream + "s");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.PARTITION)).isEqualTo("0");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.OFFSET)).isEqualTo(stream.equals("click") ? "1" : "0");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.MESSAGE)).isNotBlank();
        assertThat(new String(letter.key())).isEqualTo("u1"); // original key bytes
        final byte[] originalValue = switch (stream) {
            case "click" -> fx.topics.clicks.valueSerde().serializer().serialize("x", (ClickEvent) event);
            case "rating" -> fx.topics.ratings.valueSerde().serializer().serialize("x", (dev.streamrec.schemas.RatingEvent) event);
            default -> fx.topics.purchases.valueSerde().serializer().serialize("x", (dev.streamrec.schemas.PurchaseEvent) event);
        };
        assertThat(letter.value()).isEqualTo(originalValue);

        final UserProfile profile = fx.latestProfiles().get("u1");
        assertThat(profile.getClickCount()).isEqualTo(2);
        assertThat(profile.getRatingCount() + profile.getPurchaseCount()).isZero();
    }

    /**
     * TopologyTestDriver invokes the deserialization handler but does not emit the dead letters a
     * handler returns (it has no record collector at that point); the letters themselves are
     * checked in DeadLetterHandlersTest and end to end against a real broker in the integration test.
     */
    @Test
    void corruptBytesAndUnknownSchemaIdsDoNotStopProcessing() {
        fx.clicks.pipeInput("u1", click("first", "u1", "i1", T), T);
        fx.rawClicks.pipeInput("u1".getBytes(), new byte[] {0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff}, T);
        fx.rawClicks.pipeInput("u1".getBytes(), "hello".getBytes(), T);
        fx.rawClicks.pipeInput("u1".getBytes(), new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 65}, T);
        fx.clicks.pipeInput("u1", click("last", "u1", "i2", T), T);

        assertThat(fx.latestProfiles().get("u1").getClickCount()).isEqualTo(2);
    }

    @Test
    void eventsKeyedByAnythingButTheirUserIdAreReKeyedNotDropped() {
        fx.clicks.pipeInput("someone-else", click("e1", "u7", "i1", T), T);
        fx.clicks.pipeInput((String) null, click("e2", "u7", "i2", T), T);
        fx.clicks.pipeInput("u7", click("e3", "u7", "i3", T), T);

        final Map<String, UserProfile> profiles = fx.latestProfiles();
        assertThat(profiles).containsOnlyKeys("u7");
        assertThat(profiles.get("u7").getClickCount()).isEqualTo(3);
        assertThat(fx.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void idsAreTrimmed() {
        fx.clicks.pipeInput("u1", click(" e1 ", " u1 ", " i1 ", T), T);
        final UserProfile profile = fx.latestProfiles().get("u1");
        assertThat(profile.getUserId()).isEqualTo("u1");
        assertThat(profile.getRecentItems().get(0).getItemId()).isEqualTo("i1");
    }

    @Test
    void duplicatesInsideTheWindowCountOnceAndOutsideItTwice() {
        final TopologyTestSupport small = new TopologyTestSupport(Map.of("events.dedupe.window.ms", "60000"));
        try (small) {
            small.clicks.pipeInput("u1", click("dup", "u1", "i1", T), START);
            small.clicks.pipeInput("u1", click("dup", "u1", "i1", T), START.plusSeconds(30)); // producer retry
            assertThat(small.latestProfiles().get("u1").getClickCount()).isEqualTo(1);

            small.clicks.pipeInput("u1", click("other", "u1", "i9", T), START.plusSeconds(200)); // advances stream time
            small.clicks.pipeInput("u1", click("dup", "u1", "i1", T), START.plusSeconds(200)); // long after the window
            assertThat(small.latestProfiles().get("u1").getClickCount()).isEqualTo(3);
        }
    }

    /** A de-duplication window short enough to put bucket boundaries next to {@code START}. */
    private static final long SMALL_WINDOW = 60_000;

    /** The first bucket boundary after {@code START}: the store files events under window-wide buckets. */
    private static long firstBoundary() {
        return Math.floorDiv(START.toEpochMilli(), SMALL_WINDOW) * SMALL_WINDOW + SMALL_WINDOW;
    }

    private static TopologyTestSupport withSmallWindow() {
        return new TopologyTestSupport(Map.of("events.dedupe.window.ms", String.valueOf(SMALL_WINDOW)));
    }

    @Test
    void duplicatesAreFoundAcrossBucketBoundariesAndOutOfOrder() {
        final long window = SMALL_WINDOW;
        final long boundary = firstBoundary(); // these cases straddle it
        try (TopologyTestSupport small = withSmallWindow()) {
            // Kept just before a boundary; a retry exactly W later lands in the next bucket.
            small.clicks.pipeInput("u1", click("a", "u1", "i1", T), boundary - 1);
            small.clicks.pipeInput("u1", click("a", "u1", "i1", T), boundary - 1 + window);
            // Kept just after it; a reordered copy stamped W earlier lands in the previous bucket.
            small.clicks.pipeInput("u1", click("b", "u1", "i2", T), boundary);
            small.clicks.pipeInput("u1", click("b", "u1", "i2", T), boundary - window);
            assertThat(small.latestProfiles().get("u1").getClickCount()).isEqualTo(2);

            // W + 1 apart, in either order, is new data.
            small.clicks.pipeInput("u1", click("c", "u1", "i3", T), boundary + 5);
            small.clicks.pipeInput("u1", click("c", "u1", "i3", T), boundary + 5 + window + 1);
            small.clicks.pipeInput("u1", click("d", "u1", "i4", T), boundary + 10);
            small.clicks.pipeInput("u1", click("d", "u1", "i4", T), boundary + 10 - window - 1);
            assertThat(small.latestProfiles().get("u1").getClickCount()).isEqualTo(6);
        }
    }

    @Test
    void aCopyFromTheBucketBeforeTheTasksLatestRecordIsStillADuplicate() {
        final long boundary = firstBoundary();
        try (TopologyTestSupport small = withSmallWindow()) {
            // The task's first record opens a bucket; a copy one millisecond older falls in the
            // bucket before, so its check must read the next bucket, which the task's stream time
            // has only just reached.
            small.clicks.pipeInput("u1", click("a", "u1", "i1", T), boundary);
            small.clicks.pipeInput("u1", click("a", "u1", "i1", T), boundary - 1);
            // An in-order retry in the same bucket.
            small.clicks.pipeInput("u1", click("b", "u1", "i2", T), boundary + 1);
            small.clicks.pipeInput("u1", click("b", "u1", "i2", T), boundary + 2);
            assertThat(small.latestProfiles().get("u1").getClickCount()).isEqualTo(2);
        }
    }

    /** The user's profile as the profile store holds it, de-duplication memory included. */
    private static UserProfile stored(final TopologyTestSupport fx, final String userId) {
        final KeyValueStore<String, UserProfile> profiles = fx.driver.getKeyValueStore(Names.PROFILE_STORE);
        return profiles.get(userId);
    }

    @Test
    void eventsBeyondWhatTheProfileRemembersAreCheckedInTheStore() {
        final int events = Deduplicator.IN_PROFILE_MAX_EVENTS + 8;
        for (int i = 0; i < events; i++) {
            fx.clicks.pipeInput("u1", click("e" + i, "u1", "i" + i, T), START.plusSeconds(i));
        }
        final WindowStore<String, Long> filed = fx.driver.getWindowStore(Names.DEDUPE_STORE);
        try (KeyValueIterator<Windowed<String>, Long> all = filed.all()) {
            final List<String> keys = new ArrayList<>();
            all.forEachRemaining(entry -> keys.add(entry.key.key()));
            // The profile holds the first 32; only the 8 after them were written to the store.
            assertThat(keys).hasSize(8).contains(Deduplicator.key("u1", "e" + (events - 1)))
                    .doesNotContain(Deduplicator.key("u1", "e0"));
        }

        // Retries of every one of them, those in the profile and those in the store, count nothing.
        for (int i = 0; i < events; i++) {
            fx.clicks.pipeInput("u1", click("e" + i, "u1", "i" + i, T), START.plusSeconds(100 + i));
        }
        assertThat(stored(fx, "u1").getClickCount()).isEqualTo(events);
        fx.clicks.pipeInput("u1", click("new", "u1", "i0", T), START.plusSeconds(200));
        assertThat(stored(fx, "u1").getClickCount()).isEqualTo(events + 1);
    }

    @Test
    void theDeduplicationMemoryIsKeptInTheStoreAndNotPublished() {
        fx.clicks.pipeInput("u1", click("e1", "u1", "i1", T), START);
        fx.clicks.pipeInput("u1", click("e2", "u1", "i2", T), START.plusSeconds(1));

        assertThat(fx.latestProfiles().get("u1").getRecentEvents()).isNull();
        final RecentEvents memory = RecentEvents.unpack(stored(fx, "u1").getRecentEvents(), Deduplicator.IN_PROFILE_MAX_EVENTS);
        assertThat(memory.size()).isEqualTo(2);
        assertThat(memory.newest()).isEqualTo(START.plusSeconds(1).toEpochMilli());
    }

    @Test
    void aProfileFromBeforeTheMemoryExistedHasItsEarlierEventsCheckedInTheStore() {
        fx.clicks.pipeInput("u1", click("first", "u1", "i1", T), START);
        // What an earlier version left: the profile without the memory, the event id in the store.
        final KeyValueStore<String, UserProfile> profiles = fx.driver.getKeyValueStore(Names.PROFILE_STORE);
        final UserProfile old = profiles.get("u1");
        old.setRecentEvents(null);
        profiles.put("u1", old);
        final WindowStore<String, Long> filed = fx.driver.getWindowStore(Names.DEDUPE_STORE);
        final long window = fx.config.dedupeWindow().toMillis();
        filed.put(Deduplicator.key("u1", "first"), START.toEpochMilli(), Math.floorDiv(START.toEpochMilli(), window) * window);

        fx.clicks.pipeInput("u1", click("first", "u1", "i1", T), START.plusSeconds(5)); // a retry
        assertThat(stored(fx, "u1").getClickCount()).isEqualTo(1);
        fx.clicks.pipeInput("u1", click("second", "u1", "i2", T), START.plusSeconds(6));
        assertThat(stored(fx, "u1").getClickCount()).isEqualTo(2);
    }

    @Test
    void sameEventIdFromDifferentUsersIsNotADuplicate() {
        fx.clicks.pipeInput("u1", click("shared", "u1", "i1", T), T);
        fx.clicks.pipeInput("u2", click("shared", "u2", "i1", T), T);
        assertThat(fx.latestProfiles()).containsOnlyKeys("u1", "u2");
    }

    @Test
    void catalogJoinWorksWhetherTheItemArrivesBeforeOrAfterTheEvent() {
        fx.catalog.pipeInput("known", item("known", 10.0, "books", "sci-fi"));
        fx.purchases.pipeInput("u1", purchase("e1", "u1", "known", T, 2, 10.0), T);
        fx.purchases.pipeInput("u1", purchase("e2", "u1", "later", T.plusSeconds(1), 1, 5.0), T);
        UserProfile profile = fx.latestProfiles().get("u1");
        assertThat(profile.getPurchaseCount()).isEqualTo(2); // the unknown item is not lost
        assertThat(profile.getTotalSpend()).isEqualTo(25.0);
        assertThat(profile.getCategoryAffinities()).extracting(a -> a.getCategory()).containsExactlyInAnyOrder("books", "sci-fi");

        fx.catalog.pipeInput("later", item("later", 5.0, "garden"));
        fx.clicks.pipeInput("u1", click("e3", "u1", "later", T.plusSeconds(2)), T);
        profile = fx.latestProfiles().get("u1");
        assertThat(profile.getCategoryAffinities()).extracting(a -> a.getCategory()).contains("garden");
    }
}
