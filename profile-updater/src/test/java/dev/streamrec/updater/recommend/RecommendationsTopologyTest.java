package dev.streamrec.updater.recommend;

import static dev.streamrec.updater.TopologyTestSupport.START;
import static dev.streamrec.updater.TopologyTestSupport.click;
import static dev.streamrec.updater.TopologyTestSupport.item;
import static dev.streamrec.updater.TopologyTestSupport.purchase;
import static dev.streamrec.updater.TopologyTestSupport.rating;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.RecommendedItem;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.updater.TopologyTestSupport;
import dev.streamrec.updater.profile.UserItems;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Recommendations through the real topology: cold start, exclusions, inactive items, batching. */
class RecommendationsTopologyTest {
    private static final Instant T = START.minusSeconds(3600);
    private static final Map<String, String> BASE = Map.of(
            "recommendations.size", "5",
            "recommendations.cold.start.min.events", "3",
            "recommendations.refresh.interval.ms", "200",
            "recommendations.min.user.interval.ms", "1000");

    private static TopologyTestSupport fixture(final Map<String, String> extra) {
        final Map<String, String> settings = new HashMap<>(BASE);
        settings.putAll(extra);
        return new TopologyTestSupport(settings);
    }

    /** 12 items: g0..g5 in "garden", b0..b5 in "books". */
    private static void catalog(final TopologyTestSupport fx) {
        for (int i = 0; i < 6; i++) {
            fx.catalog.pipeInput("g" + i, item("g" + i, 10, "garden"));
            fx.catalog.pipeInput("b" + i, item("b" + i, 10, "books"));
        }
    }

    private static Map<String, Recommendations> latest(final TopologyTestSupport fx) {
        final Map<String, Recommendations> out = new LinkedHashMap<>();
        for (final TestRecord<String, Recommendations> r : fx.recommendations.readRecordsToList()) {
            out.put(r.key(), r.value());
        }
        return out;
    }

    private static List<String> ids(final Recommendations r) {
        return r.getItems().stream().map(RecommendedItem::getItemId).toList();
    }

    @Test
    void aNewUserGetsTrendingItemsOfTheirCategoriesWithAReason() {
        try (TopologyTestSupport fx = fixture(Map.of())) {
            catalog(fx);
            // The crowd makes b0 and g0 popular, b0 most of all.
            for (int u = 0; u < 30; u++) {
                fx.clicks.pipeInput("crowd" + u, click("c" + u, "crowd" + u, "b0", T), T);
                if (u % 2 == 0) {
                    fx.clicks.pipeInput("crowd" + u, click("d" + u, "crowd" + u, "g0", T), T);
                }
            }
            fx.advanceWallClock(Duration.ofSeconds(2));
            fx.recommendations.readRecordsToList();

            fx.clicks.pipeInput("newbie", click("n1", "newbie", "g3", T), T); // one event: cold start, likes garden
            fx.advanceWallClock(Duration.ofSeconds(2));

            final Recommendations recs = latest(fx).get("newbie");
            assertThat(recs.getStrategy()).isEqualTo("popular");
            assertThat(recs.getItems().get(0).getItemId()).isEqualTo("g0"); // trending within garden first
            assertThat(recs.getItems().get(0).getReason()).isEqualTo("trending in garden");
            assertThat(ids(recs)).contains("b0"); // topped up beyond the category when it runs short
        }
    }

    @Test
    void purchasedAndRatedItemsAreExcludedAndClickedOnesOnlyWhenConfigured() {
        for (final boolean excludeClicked : new boolean[] {false, true}) {
            try (TopologyTestSupport fx = fixture(Map.of("recommendations.exclude.clicked", String.valueOf(excludeClicked),
                    "recommendations.size", "12"))) {
                catalog(fx);
                fx.purchases.pipeInput("u", purchase("p", "u", "g1", T, 1, 5), T);
                fx.ratings.pipeInput("u", rating("r", "u", "b2", T, 4), T);
                fx.clicks.pipeInput("u", click("c", "u", "g4", T), T);
                fx.clicks.pipeInput("u", click("c2", "u", "g4", T.plusSeconds(1)), T);
                fx.advanceWallClock(Duration.ofSeconds(2));

                final Recommendations recs = latest(fx).get("u");
                assertThat(recs.getStrategy()).isIn("mf", "blend");
                assertThat(ids(recs)).doesNotContain("g1", "b2").doesNotHaveDuplicates();
                if (excludeClicked) {
                    assertThat(ids(recs)).doesNotContain("g4").hasSize(9);
                } else {
                    assertThat(ids(recs)).contains("g4").hasSize(10);
                }
            }
        }
    }

    @Test
    void aHistoryTooLongToScanIsReadItemByItemWithTheSameResults() {
        final int longHistory = UserItems.IN_PROFILE_MAX_ITEMS + 44;
        try (TopologyTestSupport fx = fixture(Map.of("recommendations.size", "12", "recommendations.exclude.clicked", "true",
                // 300 events in one instant would otherwise be a bot and not learned from.
                "profile.anomaly.burst.max.events", "1000000", "profile.anomaly.z.threshold", "1000000"))) {
            catalog(fx);
            for (int i = 0; i < longHistory; i++) {
                fx.clicks.pipeInput("u", click("x" + i, "u", "x" + i, T), T);
            }
            fx.clicks.pipeInput("u", click("again", "u", "x5", T), T); // not a new item: looked up, not scanned
            fx.purchases.pipeInput("u", purchase("p", "u", "g1", T, 1, 5), T);
            fx.ratings.pipeInput("u", rating("r", "u", "b2", T, 4), T);
            fx.clicks.pipeInput("u", click("c", "u", "g4", T), T);
            fx.advanceWallClock(Duration.ofSeconds(2));

            assertThat(fx.latestProfiles().get("u").getDistinctItems()).isEqualTo(longHistory + 3);
            final Recommendations recs = latest(fx).get("u");
            assertThat(recs.getStrategy()).isIn("mf", "blend");
            // Every one of the long history's items is excluded, not just the ones a scan would reach.
            assertThat(ids(recs)).doesNotContain("g1", "b2", "g4").doesNotHaveDuplicates().hasSize(9)
                    .noneMatch(id -> id.startsWith("x"));
        }
    }

    @Test
    void inactiveItemsAreNeverRecommended() {
        try (TopologyTestSupport fx = fixture(Map.of("recommendations.size", "12"))) {
            catalog(fx);
            for (int i = 0; i < 4; i++) {
                fx.clicks.pipeInput("u", click("c" + i, "u", "g" + i, T.plusSeconds(i)), T);
            }
            fx.advanceWallClock(Duration.ofSeconds(2));
            assertThat(ids(latest(fx).get("u"))).contains("b5");

            final Item retired = item("b5", 10, "books");
            retired.setActive(false);
            fx.catalog.pipeInput("b5", retired);
            fx.clicks.pipeInput("u", click("c9", "u", "g5", T.plusSeconds(9)), T);
            fx.advanceWallClock(Duration.ofSeconds(2));
            assertThat(ids(latest(fx).get("u"))).doesNotContain("b5");
        }
    }

    @Test
    void aVeryActiveUserIsRefreshedAtMostOncePerMinimumIntervalWithTheOldestPendingIngestTime() {
        try (TopologyTestSupport fx = fixture(Map.of())) {
            catalog(fx);
            final List<Instant> busyIngest = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                busyIngest.add(fx.now()); // the validator stamps the wall clock as ingest time
                fx.clicks.pipeInput("busy", click("e" + i, "busy", "g" + (i % 6), T.plusSeconds(i)), T);
                fx.advanceWallClock(Duration.ofMillis(100)); // 5 s of wall clock in all
            }
            fx.clicks.pipeInput("quiet", click("q", "quiet", "b1", T), T);
            fx.advanceWallClock(Duration.ofSeconds(2));

            final List<TestRecord<String, Recommendations>> all = fx.recommendations.readRecordsToList();
            final long busy = all.stream().filter(r -> r.key().equals("busy")).count();
            assertThat(busy).isBetween(4L, 7L); // ~ one per second over ~5-7 s, not 50
            assertThat(all.stream().filter(r -> r.key().equals("quiet")).count()).isEqualTo(1);
            for (final TestRecord<String, Recommendations> r : all) {
                assertThat(r.value().getTriggerIngestTime()).isBeforeOrEqualTo(r.value().getGeneratedAt());
            }
            // Each busy list is triggered by the oldest event it answers: the first one ingested
            // since the list before it (events are stamped before the clock moves on, so one
            // stamped at a list's own time came after it).
            Instant previousList = Instant.MIN;
            for (final TestRecord<String, Recommendations> r : all.stream().filter(r -> r.key().equals("busy")).toList()) {
                final Instant since = previousList;
                final Instant oldestPending = busyIngest.stream().filter(t -> !t.isBefore(since)).findFirst().orElseThrow();
                assertThat(r.value().getTriggerIngestTime()).as("list generated at %s", r.value().getGeneratedAt())
                        .isEqualTo(oldestPending);
                previousList = r.value().getGeneratedAt();
            }
        }
    }
}
