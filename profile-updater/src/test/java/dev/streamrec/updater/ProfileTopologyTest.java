package dev.streamrec.updater;

import static dev.streamrec.updater.TopologyTestSupport.START;
import static dev.streamrec.updater.TopologyTestSupport.click;
import static dev.streamrec.updater.TopologyTestSupport.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.InteractionKind;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.updater.profile.UserItems;
import dev.streamrec.updater.topology.Names;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** Profiles through the real topology: the anomaly flag, one profile record per accepted event, the item history. */
class ProfileTopologyTest {

    @Test
    void aClickBurstIsFlaggedAndANormalUserIsNot() {
        try (TopologyTestSupport fx = new TopologyTestSupport()) {
            final SplittableRandom random = new SplittableRandom(7);
            final Instant base = START.minusSeconds(10 * 3600); // 60 gaps of ~5 min stay in the past
            // A normal user: clicks minutes apart, Poisson-like.
            long t = base.toEpochMilli();
            for (int i = 0; i < 60; i++) {
                t += (long) (-Math.log(1 - random.nextDouble()) * 300_000);
                fx.clicks.pipeInput("human", click("h" + i, "human", "i" + random.nextInt(50), Instant.ofEpochMilli(t)), START);
            }
            // A bot: 40 clicks in four seconds.
            for (int i = 0; i < 40; i++) {
                fx.clicks.pipeInput("bot", click("b" + i, "bot", "i" + i, base.plusMillis(100L * i)), START);
            }
            final Map<String, UserProfile> profiles = fx.latestProfiles();
            assertThat(profiles.get("human").getAnomalous()).isFalse();
            assertThat(profiles.get("human").getClickCount()).isEqualTo(60);
            assertThat(profiles.get("bot").getAnomalous()).isTrue();
            assertThat(profiles.get("bot").getAnomalyReason()).startsWith("burst");
            assertThat(profiles.get("bot").getClickCount()).isEqualTo(40); // still counted
        }
    }

    @Test
    void everyAcceptedEventPublishesTheChangedProfile() {
        try (TopologyTestSupport fx = new TopologyTestSupport()) {
            fx.clicks.pipeInput("u", click("1", "u", "a", START), START);
            fx.clicks.pipeInput("u", click("2", "u", "b", START), START);
            fx.clicks.pipeInput("u", click("2", "u", "b", START), START); // duplicate: no new profile
            assertThat(fx.profiles.readValuesToList()).extracting(UserProfile::getClickCount).containsExactly(1L, 2L);
        }
    }

    private static final int CLICKED = UserItems.flag(InteractionKind.CLICK);
    private static final int PURCHASED = UserItems.flag(InteractionKind.PURCHASE);

    @Test
    void aShortHistoryIsKeptInTheProfileAndNotInTheStore() {
        try (TopologyTestSupport fx = new TopologyTestSupport()) {
            fx.clicks.pipeInput("u", click("1", "u", "a", START), START);
            fx.clicks.pipeInput("u", click("2", "u", "b", START), START);
            fx.purchases.pipeInput("u", purchase("3", "u", "a", START, 1, 5), START);

            final UserProfile profile = fx.latestProfiles().get("u");
            assertThat(profile.getItemHistory()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("a", CLICKED | PURCHASED, "b", CLICKED));
            assertThat(profile.getDistinctItems()).isEqualTo(2);
            assertThat(UserItems.scan(userItems(fx), "u")).isEmpty();
        }
    }

    @Test
    void aHistoryThatOutgrowsTheProfileMovesToTheStoreWholeAndStaysThere() {
        // Hundreds of events in one instant would otherwise be a bot's.
        try (TopologyTestSupport fx = new TopologyTestSupport(Map.of("profile.anomaly.burst.max.events", "1000000",
                "profile.anomaly.z.threshold", "1000000"))) {
            final int items = UserItems.IN_PROFILE_MAX_ITEMS + 1;
            for (int i = 0; i < items - 1; i++) {
                fx.clicks.pipeInput("u", click("c" + i, "u", "x" + i, START), START);
            }
            assertThat(fx.latestProfiles().get("u").getItemHistory()).hasSize(items - 1);
            assertThat(UserItems.scan(userItems(fx), "u")).isEmpty();

            fx.clicks.pipeInput("u", click("last", "u", "x" + (items - 1), START), START);
            assertThat(fx.latestProfiles().get("u").getItemHistory()).isNull();
            final Map<String, Integer> stored = UserItems.scan(userItems(fx), "u");
            assertThat(stored).hasSize(items).containsEntry("x0", CLICKED).containsEntry("x" + (items - 1), CLICKED);

            fx.purchases.pipeInput("u", purchase("p", "u", "x7", START, 1, 5), START); // looked up in the store
            final UserProfile profile = fx.latestProfiles().get("u");
            assertThat(profile.getItemHistory()).isNull();
            assertThat(profile.getDistinctItems()).isEqualTo(items);
            assertThat(UserItems.scan(userItems(fx), "u")).hasSize(items).containsEntry("x7", CLICKED | PURCHASED);
        }
    }

    @Test
    void aProfileWrittenBeforeTheMapExistedHasItsStoredHistoryMovedIn() {
        try (TopologyTestSupport fx = new TopologyTestSupport()) {
            fx.clicks.pipeInput("u", click("1", "u", "a", START), START);
            fx.clicks.pipeInput("u", click("2", "u", "b", START), START);
            // As an older version left it: the profile without the map, the items in the store.
            final KeyValueStore<String, UserProfile> profiles = fx.driver.getKeyValueStore(Names.PROFILE_STORE);
            final UserProfile old = profiles.get("u");
            old.setItemHistory(null);
            profiles.put("u", old);
            userItems(fx).put(UserItems.key("u", "a"), CLICKED);
            userItems(fx).put(UserItems.key("u", "b"), CLICKED);

            fx.purchases.pipeInput("u", purchase("3", "u", "b", START, 1, 5), START);
            final UserProfile profile = fx.latestProfiles().get("u");
            assertThat(profile.getDistinctItems()).isEqualTo(2); // b was known: read from the store
            assertThat(profile.getItemHistory()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("a", CLICKED, "b", CLICKED | PURCHASED));
        }
    }

    private static KeyValueStore<String, Integer> userItems(final TopologyTestSupport fx) {
        return fx.driver.getKeyValueStore(Names.USER_ITEMS_STORE);
    }
}
