package dev.streamrec.service.items;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamrec.schemas.ItemFactors;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PopularItemsTest {
    private static final Duration HALF_LIFE = Duration.ofHours(1);
    private static final long HOUR = HALF_LIFE.toMillis();
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    /** The item's latest record: lifetime positives, and its decayed positive count {@code trending} at {@code at}. */
    private static ItemFactors item(final String id, final long positives, final double trending, final long at) {
        return ItemFactors.newBuilder().setItemId(id).setFactors(List.of(1f)).setPositiveCount(positives)
                .setTrendingScore(trending).setTrendingAt(Instant.ofEpochMilli(at)).build();
    }

    /** Refreshed at every call: these tests are about the rank, not the caching. */
    private static PopularItems popularAt(final AtomicLong now) {
        return new PopularItems(0, HALF_LIFE, now::get);
    }

    @Test
    void rankingIsRebuiltAtMostOncePerRefreshInterval() {
        final AtomicLong now = new AtomicLong(T0);
        final PopularItems popular = new PopularItems(100, HALF_LIFE, now::get);
        popular.put(item("a", 1, 1.0, T0));
        assertThat(popular.top(5)).extracting(ScoredItem::itemId).containsExactly("a");
        popular.put(item("b", 2, 2.0, T0));
        now.addAndGet(50);
        assertThat(popular.top(5)).extracting(ScoredItem::itemId).containsExactly("a");
        now.addAndGet(50);
        assertThat(popular.top(5)).extracting(ScoredItem::itemId).containsExactly("b", "a");
    }

    /**
     * The case the lifetime count got wrong: a hit of long ago keeps its lifetime positives for
     * ever, but its decayed count has halved ten times since; a newer item with a hundredth of the
     * lifetime positives and recent ones is what is trending now.
     */
    @Test
    void aRecentRiserOutranksAnAllTimeHitWhoseCountHasDecayed() {
        final AtomicLong now = new AtomicLong(T0 + 10 * HOUR);
        final PopularItems popular = popularAt(now);
        popular.put(item("all-time-hit", 1_000, 40.0, T0));
        popular.put(item("riser", 10, 6.0, T0 + 10 * HOUR));
        final List<ScoredItem> top = popular.top(5);
        assertThat(top).extracting(ScoredItem::itemId).containsExactly("riser", "all-time-hit");
        assertThat(top.get(0).score()).isCloseTo(6.0, within(1e-9));
        assertThat(top.get(1).score()).isCloseTo(40.0 / 1024, within(1e-12));
    }

    @Test
    void theScoreIsTheDecayedCountAtTheTimeOfRanking() {
        final AtomicLong now = new AtomicLong(T0 + 2 * HOUR);
        final PopularItems popular = popularAt(now);
        popular.put(item("x", 30, 8.0, T0));
        assertThat(popular.top(1).get(0).score()).isCloseTo(2.0, within(1e-12));
        now.set(T0 + 3 * HOUR);
        popular.put(item("y", 1, 0.25, T0 + 3 * HOUR)); // a change, so the list is ranked again
        assertThat(popular.top(2)).extracting(ScoredItem::score)
                .satisfiesExactly(x -> assertThat(x).isCloseTo(1.0, within(1e-12)),
                        y -> assertThat(y).isCloseTo(0.25, within(1e-12)));
    }

    /**
     * Records written before the item stage published a decayed count carry score 0: those items
     * rank after every item with a count, among themselves by lifetime positives, then by id.
     */
    @Test
    void itemsWithoutADecayedCountRankLastByPositiveCountThenId() {
        final AtomicLong now = new AtomicLong(T0);
        final PopularItems popular = popularAt(now);
        popular.put(item("old-few-b", 5, 0, 0));
        popular.put(item("old-many", 50, 0, 0));
        popular.put(item("trending", 1, 0.5, T0));
        popular.put(item("old-few", 5, 0, 0));
        final List<ScoredItem> top = popular.top(10);
        assertThat(top).extracting(ScoredItem::itemId).containsExactly("trending", "old-many", "old-few", "old-few-b");
        assertThat(top).extracting(ScoredItem::score).containsExactly(0.5, 0.0, 0.0, 0.0);
    }

    /**
     * Every instance reads the same latest record per item, but in its own order (partitions of the
     * compacted topic interleave differently, a restore reads them in yet another): the list must
     * not depend on it, ties included. {@code TrendingItems} breaks ties by first appearance.
     */
    @Test
    void theSameRecordsInAnotherOrderGiveTheSameList() {
        final List<ItemFactors> records = List.of(
                item("hot", 3, 9.0, T0 + 2 * HOUR),
                // The same decayed count, valued an hour apart: a tie, decided by lifetime positives.
                item("tie-earlier", 7, 4.0, T0),
                item("tie-later", 6, 2.0, T0 + HOUR),
                // Same count, same time, same positives: decided by id.
                item("same-b", 2, 1.0, T0 + HOUR),
                item("same-a", 2, 1.0, T0 + HOUR),
                item("no-count", 900, 0, 0),
                item("no-count-either", 900, 0, 0));
        final List<List<ScoredItem>> lists = readForwardAndBackward(records, T0 + 2 * HOUR);

        assertThat(lists.get(0)).extracting(ScoredItem::itemId).containsExactly("hot", "tie-earlier", "tie-later",
                "same-a", "same-b", "no-count", "no-count-either");
        assertThat(lists.get(1)).isEqualTo(lists.get(0));
    }

    /**
     * As above, with counts valued at times that are not whole half-lives apart (real trending
     * times): decayed to a reference time set by whichever record an instance read first, counts
     * equal but for rounding came out in either order, in 43 of these 199 cases.
     */
    @Test
    void theOrderDoesNotDependOnWhichRecordAnInstanceReadFirst() {
        for (int k = 1; k < 200; k++) {
            final List<ItemFactors> records = List.of(
                    item("first", 1, 9.0, T0 + 2 * HOUR + k * 12_345L),
                    item("tie-earlier", 7, 4.0, T0),
                    item("tie-later", 6, 2.0, T0 + HOUR),
                    item("last", 1, 3.0, T0 + 3 * HOUR + k * 777L));
            final List<List<ScoredItem>> lists = readForwardAndBackward(records, T0 + 4 * HOUR);
            assertThat(lists.get(1)).as("shift %d", k).isEqualTo(lists.get(0));
        }
    }

    /** The lists of two instances that read {@code records} in opposite orders, ranked at {@code nowMillis}. */
    private static List<List<ScoredItem>> readForwardAndBackward(final List<ItemFactors> records, final long nowMillis) {
        final List<ItemFactors> reversed = new ArrayList<>(records);
        Collections.reverse(reversed);
        final AtomicLong now = new AtomicLong(nowMillis);
        final PopularItems forward = popularAt(now);
        records.forEach(forward::put);
        final PopularItems backward = popularAt(now);
        reversed.forEach(backward::put);
        return List.of(forward.top(10), backward.top(10));
    }

    @Test
    void aRemovedItemLeavesTheList() {
        final AtomicLong now = new AtomicLong(T0);
        final PopularItems popular = popularAt(now);
        popular.put(item("a", 1, 3.0, T0));
        popular.put(item("b", 1, 2.0, T0));
        popular.put(item("c", 100, 0, 0));
        assertThat(popular.top(10)).extracting(ScoredItem::itemId).containsExactly("a", "b", "c");
        popular.remove("a");
        assertThat(popular.top(10)).extracting(ScoredItem::itemId).containsExactly("b", "c");
        popular.remove("c");
        assertThat(popular.top(10)).extracting(ScoredItem::itemId).containsExactly("b");
    }
}
