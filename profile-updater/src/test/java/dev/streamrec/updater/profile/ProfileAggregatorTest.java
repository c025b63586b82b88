package dev.streamrec.updater.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamrec.schemas.CategoryAffinity;
import dev.streamrec.schemas.Interaction;
import dev.streamrec.schemas.InteractionKind;
import dev.streamrec.schemas.RecentItem;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.config.UpdaterConfig.ProfileRules;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileAggregatorTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration HALF_LIFE = Duration.ofDays(7);

    private static ProfileRules rules(final int topK, final int recent) {
        return UpdaterConfig.of(Map.of("profile.affinity.top.k", String.valueOf(topK),
                "profile.recent.items", String.valueOf(recent))).profile();
    }

    private static Interaction event(final InteractionKind kind, final String item, final Instant time,
                                     final double weight, final double value, final double spend, final String... categories) {
        return Interaction.newBuilder().setEventId(item + time).setUserId("u").setItemId(item).setKind(kind)
                .setValue(value).setNormalizedValue(kind == InteractionKind.RATING ? (value - 1) / 4 : 1.0)
                .setWeight(weight).setSpend(spend).setEventTime(time).setCategories(List.of(categories)).build();
    }

    @Test
    void countsSpendRatingsAndTimes() {
        final ProfileAggregator aggregator = new ProfileAggregator(rules(20, 200));
        UserProfile p = aggregator.apply(null, event(InteractionKind.CLICK, "a", T0.plusSeconds(60), 1, 1, 0), true, 1);
        p = aggregator.apply(p, event(InteractionKind.PURCHASE, "a", T0.plusSeconds(120), 4, 2, 19.5), false, 2);
        p = aggregator.apply(p, event(InteractionKind.RATING, "b", T0, 1, 4.5, 0), true, 3); // out of order: earliest

        assertThat(p.getClickCount()).isEqualTo(1);
        assertThat(p.getPurchaseCount()).isEqualTo(1);
        assertThat(p.getRatingCount()).isEqualTo(1);
        assertThat(p.getDistinctItems()).isEqualTo(2);
        assertThat(p.getTotalSpend()).isEqualTo(19.5);
        assertThat(p.getRatingSum()).isEqualTo(4.5);
        assertThat(p.getFirstEventTime()).isEqualTo(T0);
        assertThat(p.getLastEventTime()).isEqualTo(T0.plusSeconds(120));
        assertThat(p.getUpdatedAt().toEpochMilli()).isEqualTo(3);
    }

    @Test
    void foldsIntoTheStoredProfileInPlace() {
        final ProfileAggregator aggregator = new ProfileAggregator(rules(20, 200));
        final UserProfile stored = aggregator.apply(null, event(InteractionKind.CLICK, "a", T0, 1, 1, 0), true, 1);

        final UserProfile updated = aggregator.apply(stored, event(InteractionKind.CLICK, "b", T0.plusSeconds(5), 1, 1, 0), true, 2);

        assertThat(updated).isSameAs(stored);
        assertThat(updated.getClickCount()).isEqualTo(2);
        assertThat(updated.getRecentItems()).extracting(RecentItem::getItemId).containsExactly("b", "a");
    }

    @Test
    void affinityDecaysByHalfEveryHalfLife() {
        final ProfileAggregator aggregator = new ProfileAggregator(rules(20, 200));
        UserProfile p = aggregator.apply(null, event(InteractionKind.CLICK, "a", T0, 1, 1, 0, "books"), true, 0);
        p = aggregator.apply(p, event(InteractionKind.CLICK, "b", T0.plus(HALF_LIFE), 1, 1, 0, "garden"), true, 0);
        p = aggregator.apply(p, event(InteractionKind.CLICK, "c", T0.plus(HALF_LIFE.multipliedBy(2)), 1, 1, 0, "garden"), true, 0);

        final Map<String, Double> weights = weights(p);
        assertThat(weights.get("books")).isCloseTo(0.25, within(1e-9));   // two half-lives old
        assertThat(weights.get("garden")).isCloseTo(1.5, within(1e-9));  // 0.5 + 1
        assertThat(p.getAffinitiesAsOf()).isEqualTo(T0.plus(HALF_LIFE.multipliedBy(2)));
        assertThat(p.getCategoryAffinities().get(0).getCategory()).isEqualTo("garden"); // heaviest first
    }

    @Test
    void lateEventAddsItsDecayedWeightWithoutMovingTheClockBack() {
        final ProfileAggregator aggregator = new ProfileAggregator(rules(20, 200));
        UserProfile p = aggregator.apply(null, event(InteractionKind.PURCHASE, "a", T0.plus(HALF_LIFE), 4, 1, 0, "x"), true, 0);
        p = aggregator.apply(p, event(InteractionKind.PURCHASE, "b", T0, 4, 1, 0, "x"), true, 0);
        assertThat(weights(p).get("x")).isCloseTo(4 + 2, within(1e-9));
        assertThat(p.getAffinitiesAsOf()).isEqualTo(T0.plus(HALF_LIFE));
    }

    @Test
    void ratingsWeighAffinityByHowMuchTheUserLikedTheItem() {
        final ProfileAggregator aggregator = new ProfileAggregator(rules(20, 200));
        UserProfile p = aggregator.apply(null, event(InteractionKind.RATING, "a", T0, 2, 5, 0, "loved"), true, 0);
        p = aggregator.apply(p, event(InteractionKind.RATING, "b", T0, 2, 1, 0, "hated"), true, 0);
        assertThat(weights(p).get("loved")).isCloseTo(2.0, within(1e-9));
        assertThat(weights(p).get("hated")).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void keepsOnlyTheTopKCategoriesAndTheMostRecentItems() {
        final ProfileAggregator aggregator = new ProfileAggregator(rules(3, 5));
        UserProfile p = null;
        for (int i = 0; i < 10; i++) {
            // category c<i> gets weight i+1: the top three are c9, c8, c7
            p = aggregator.apply(p, event(InteractionKind.CLICK, "item" + i, T0, i + 1, 1, 0, "c" + i), true, 0);
        }
        assertThat(p.getCategoryAffinities()).extracting(CategoryAffinity::getCategory).containsExactly("c9", "c8", "c7");
        assertThat(p.getRecentItems()).extracting(RecentItem::getItemId)
                .containsExactly("item9", "item8", "item7", "item6", "item5");
        assertThat(p.getClickCount()).isEqualTo(10);
    }

    @Test
    void activityRateApproachesTheSteadyEventRate() {
        final ProfileAggregator aggregator = new ProfileAggregator(rules(20, 200));
        UserProfile p = null;
        for (int i = 0; i < 400; i++) { // one event a minute for over six hours: 60 per hour
            p = aggregator.apply(p, event(InteractionKind.CLICK, "i" + i, T0.plusSeconds(60L * i), 1, 1, 0), true, 0);
        }
        assertThat(p.getActivityRate()).isCloseTo(60.0, within(1.0));
        assertThat(p.getMeanInterEventMs()).isCloseTo(60_000.0, within(1.0));
    }

    private static Map<String, Double> weights(final UserProfile p) {
        final java.util.HashMap<String, Double> out = new java.util.HashMap<>();
        p.getCategoryAffinities().forEach(a -> out.put(a.getCategory(), a.getWeight()));
        return out;
    }
}
