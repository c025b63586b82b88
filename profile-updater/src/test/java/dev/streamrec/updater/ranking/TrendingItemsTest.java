package dev.streamrec.updater.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrendingItemsTest {

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void aScoreHalvesEveryHalfLifeOfEventTime() {
        final TrendingItems trending = new TrendingItems(Duration.ofHours(1));
        trending.record("a", List.of(), T0, 1.0);

        assertThat(trending.scoreAt("a", T0)).isCloseTo(1.0, within(1e-12));
        assertThat(trending.scoreAt("a", T0 + HOUR)).isCloseTo(0.5, within(1e-12));
        assertThat(trending.scoreAt("a", T0 + 3 * HOUR)).isCloseTo(0.125, within(1e-12));
        assertThat(trending.scoreAt("a", T0 + HOUR / 2)).isCloseTo(Math.sqrt(0.5), within(1e-12));
        assertThat(trending.scoreAt("never", T0)).isZero();
    }

    @Test
    void eventsAddTheirDecayedWeightsIncludingOutOfOrderOnes() {
        final TrendingItems trending = new TrendingItems(Duration.ofHours(1));
        trending.record("a", List.of(), T0, 2.0);
        trending.record("a", List.of(), T0 + HOUR, 1.0);
        trending.record("a", List.of(), T0 - HOUR, 4.0); // late arrival, older event

        // At T0 + 1h: 2 · ½ + 1 + 4 · ¼ = 3.
        assertThat(trending.scoreAt("a", T0 + HOUR)).isCloseTo(3.0, within(1e-12));
    }

    @Test
    void recentActivityOvertakesOlderActivityAsTimePasses() {
        final TrendingItems trending = new TrendingItems(Duration.ofHours(1));
        trending.record("old", List.of(), T0, 3.0);
        trending.record("recent", List.of(), T0 + 2 * HOUR, 1.0); // old is worth 0.75 by then
        trending.record("steady", List.of(), T0 + HOUR, 1.0);    // worth 0.5 at T0 + 2h

        final List<TrendingItems.TrendingItem> top = trending.top(10, T0 + 2 * HOUR, Set.of(), Set.of());

        assertThat(top).extracting(TrendingItems.TrendingItem::itemId).containsExactly("recent", "old", "steady");
        assertThat(top.get(1).score()).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void rebasingFarIntoTheFutureKeepsScoresExactAndFinite() {
        final TrendingItems trending = new TrendingItems(Duration.ofSeconds(1));
        trending.record("first", List.of(), 0L, 1.0);
        // 300 and 600 half-lives later: each forces a rebase of the stored sums.
        trending.record("second", List.of(), 300_000L, 1.0);
        trending.record("third", List.of(), 600_000L, 1.0);
        trending.record("third", List.of(), 600_000L, 1.0);

        assertThat(trending.scoreAt("third", 600_000L)).isCloseTo(2.0, within(1e-12));
        assertThat(trending.scoreAt("second", 600_000L)).isCloseTo(Math.pow(2, -300), within(Math.pow(2, -300) * 1e-9));
        assertThat(trending.scoreAt("first", 600_000L)).isCloseTo(Math.pow(2, -600), within(Math.pow(2, -600) * 1e-9));
        assertThat(trending.top(3, 600_000L, Set.of(), Set.of()))
                .extracting(TrendingItems.TrendingItem::itemId).containsExactly("third", "second", "first");
    }

    @Test
    void topFiltersByCategoryAndExclusionAndBreaksTiesByFirstAppearance() {
        final TrendingItems trending = new TrendingItems(Duration.ofHours(6));
        trending.record("book1", List.of("books"), T0, 1.0);
        trending.record("tv", List.of("electronics", "video"), T0, 5.0);
        trending.record("book2", List.of("books", "sale"), T0, 1.0);
        trending.record("book3", List.of("books"), T0, 3.0);
        trending.record("phone", List.of("electronics"), T0, 4.0);

        assertThat(ids(trending.top(10, T0, Set.of("books"), Set.of())))
                .containsExactly("book3", "book1", "book2");
        assertThat(ids(trending.top(2, T0, Set.of("books", "video"), Set.of("tv"))))
                .containsExactly("book3", "book1");
        assertThat(ids(trending.top(3, T0, Set.of(), Set.of()))).containsExactly("tv", "phone", "book3");
        assertThat(trending.top(0, T0, Set.of(), Set.of())).isEmpty();
        assertThat(trending.top(99, T0, Set.of(), Set.of())).hasSize(5);
    }

    /**
     * With 100 categories, some allowed sets matching nothing: the filter must give what a plain
     * per-row check of the names gives. (Written for a category bitmask that was later dropped
     * once trending lists came from one snapshot per batch; the contract is the same.)
     */
    @Test
    void categoryFilterAgreesWithNameMatchingBeyondTheBitmaskCategories() {
        final TrendingItems trending = new TrendingItems(Duration.ofHours(6));
        final java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        final java.util.Map<String, List<String>> categoriesOf = new java.util.HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            final List<String> categories = random.nextInt(10) == 0
                    ? List.of()
                    : List.of("c" + random.nextInt(100), "c" + random.nextInt(100));
            categoriesOf.put("item-" + i, categories);
            trending.record("item-" + i, categories, T0 + i, 1.0 + random.nextInt(1_000));
        }
        for (final Set<String> allowed : List.of(Set.of("c3"), Set.of("c90"), Set.of("c3", "c90"), Set.of("c99", "c64"),
                Set.of("unknown"), Set.of("c0", "c1", "c2", "c70", "c71"))) {
            final List<String> all = ids(trending.top(2_000, T0 + 2_000, Set.of(), Set.of()));
            final List<String> expected = all.stream()
                    .filter(id -> categoriesOf.get(id).stream().anyMatch(allowed::contains)).limit(25).toList();
            assertThat(ids(trending.top(25, T0 + 2_000, allowed, Set.of()))).as("allowed %s", allowed)
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aSetScoreReplacesTheItemsAndTheLatestValuesAloneDecideInAnyOrder() {
        final TrendingItems live = new TrendingItems(Duration.ofHours(1));
        live.set("a", List.of("books"), 1.0, T0);
        live.set("b", List.of(), 4.0, T0 - 2 * HOUR);
        live.set("a", List.of("books"), 3.0, T0 + HOUR); // the item's next value: replaces, does not add
        final TrendingItems restored = new TrendingItems(Duration.ofHours(1));
        restored.set("b", List.of(), 4.0, T0 - 2 * HOUR);
        restored.set("a", List.of("books"), 3.0, T0 + HOUR);
        for (final TrendingItems trending : List.of(live, restored)) {
            assertThat(trending.scoreAt("a", T0 + HOUR)).isCloseTo(3.0, within(1e-12));
            assertThat(trending.scoreAt("b", T0 + HOUR)).isCloseTo(0.5, within(1e-12));
            assertThat(ids(trending.top(2, T0 + HOUR, Set.of(), Set.of()))).containsExactly("a", "b");
        }
        live.set("a", null, 0.0, 0L);
        assertThat(live.scoreAt("a", T0)).isZero();
        assertThat(ids(live.top(2, T0, Set.of(), Set.of()))).as("an item without a count does not trend").containsExactly("b");
        assertThat(live.ranking(2, T0).top(2, Set.of(), Set.of())).as("nor in a snapshot, which has every item that does")
                .hasValueSatisfying(items -> assertThat(ids(items)).containsExactly("b"));
        live.set("a", null, 2.0, T0);
        assertThat(ids(live.top(1, T0, Set.of("books"), Set.of()))).as("categories kept").containsExactly("a");
        live.set("never", List.of(), 0.0, 0L);
        assertThat(live.size()).as("a zero score for a new item adds no row").isEqualTo(2);
        // Far apart in time: the old value decays away, the new one rebases instead of overflowing.
        live.set("c", List.of(), 1.0, T0 + 1_000 * HOUR);
        assertThat(live.scoreAt("c", T0 + 1_000 * HOUR)).isCloseTo(1.0, within(1e-9));
        assertThat(ids(live.top(1, T0 + 1_000 * HOUR, Set.of(), Set.of()))).containsExactly("c");
        assertThatThrownBy(() -> live.set("a", List.of(), -1.0, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidInputsAreRejected() {
        assertThatThrownBy(() -> new TrendingItems(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        final TrendingItems trending = new TrendingItems(Duration.ofHours(1));
        assertThatThrownBy(() -> trending.record("a", List.of(), T0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trending.record("a", List.of(), T0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> trending.top(-1, T0, Set.of(), Set.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> ids(final List<TrendingItems.TrendingItem> items) {
        return items.stream().map(TrendingItems.TrendingItem::itemId).toList();
    }
}
