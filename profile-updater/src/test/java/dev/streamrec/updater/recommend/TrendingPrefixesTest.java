package dev.streamrec.updater.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.updater.ranking.TrendingItems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The per-batch trending prefixes must answer exactly what a full pass per user answers. */
class TrendingPrefixesTest {
    private static final long NOW = 1_700_000_000_000L;

    @Test
    void filteredPrefixesEqualTheFullPassForEveryUser() {
        final TrendingItems trending = new TrendingItems(Duration.ofHours(6));
        final SplittableRandom random = new SplittableRandom(8);
        final List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            ids.add("item-" + i);
            // Few distinct scores, so that ties (broken by first appearance) are common. Items have
            // zero to three categories, sometimes one twice: each must be listed once.
            final List<String> categories = new ArrayList<>();
            for (int c = random.nextInt(4); c > 0; c--) {
                categories.add("c" + random.nextInt(12));
            }
            trending.record("item-" + i, categories, NOW - random.nextInt(1_000), 1 + random.nextInt(5));
        }
        final RecommendationBuilder.TrendingPrefixes prefixes = new RecommendationBuilder.TrendingPrefixes(trending, NOW);
        for (int user = 0; user < 300; user++) {
            final Set<String> allowed = new HashSet<>();
            for (int c = random.nextInt(4); c > 0; c--) {
                allowed.add("c" + random.nextInt(14)); // c12 and c13 have no items at all
            }
            final Set<String> excluded = new HashSet<>();
            // Up to 1,500 exclusions among the first 2,000 items: some users exclude most of the
            // snapshot's candidates in their categories, and the full pass must take over.
            for (int e = random.nextInt(1_500); e > 0; e--) {
                excluded.add(ids.get(random.nextInt(2_000)));
            }
            final int wanted = 1 + random.nextInt(20);
            assertThat(prefixes.top(wanted, allowed, excluded)).as("user %d, allowed %s", user, allowed)
                    .containsExactlyElementsOf(trending.top(wanted, NOW, allowed, excluded));
        }
    }

    @Test
    void aSnapshotOfEveryItemAnswersEvenWhenTooFewPassTheFilters() {
        final TrendingItems trending = new TrendingItems(Duration.ofHours(6));
        trending.record("a", List.of("books"), NOW, 3);
        trending.record("b", List.of("music"), NOW, 2);
        trending.record("c", List.of("books"), NOW, 1);
        final TrendingItems.Ranking ranking = trending.ranking(10, NOW);

        assertThat(ranking.top(5, Set.of("books"), Set.of("c")).orElseThrow()).extracting(TrendingItems.TrendingItem::itemId)
                .containsExactly("a");
        assertThat(trending.ranking(2, NOW).top(2, Set.of("books"), Set.of())).as("a partial snapshot cannot tell")
                .isEmpty();
        assertThat(trending.ranking(2, NOW).top(1, Set.of("music"), Set.of()).orElseThrow())
                .extracting(TrendingItems.TrendingItem::itemId).containsExactly("b");
    }
}
