package dev.streamrec.service.items;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.updater.ranking.TrendingItems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Item popularity for cold-start lists, ranked the way the profile-updater ranks its own cold-start
 * lists: by the item's decayed positive count ("trending"), which the item stage publishes in every
 * ItemFactors as {@code trendingScore} valued at {@code trendingAt}, halving per
 * {@code recommendations.trending.half.life.ms}. The counts are held and decayed by the updater's
 * own {@link TrendingItems} (set from the latest record per item, as {@code ItemModel} does), so a
 * user unknown here gets the items a new user gets from the updater, and an all-time hit leaves the
 * list once its positives are old.
 *
 * <p>Equal decayed counts (all items whose records predate the field carry 0) then rank by lifetime
 * {@code positiveCount}, bias, and id. The tie-break is done here rather than left to
 * {@link TrendingItems}, which breaks ties by the order items first arrived: that differs between
 * instances and between a live run and a restore, and every instance must return the same list.
 * Categories are not recorded: the service's list is not restricted to any.
 *
 * <p>The ranked list is cached and rebuilt at most once per {@code refreshMillis}: item vectors
 * change continuously while the model learns, and re-sorting on every request would cost more
 * than the answer is worth. Each item's score is its decayed count at the time the list was
 * ranked. One writer, any number of readers.
 */
final class PopularItems {
    private static final Comparator<Ranked> RANK = Comparator.comparingDouble(Ranked::score).reversed()
            .thenComparing(Comparator.comparingLong((Ranked r) -> r.entry().positiveCount()).reversed())
            .thenComparing(Comparator.comparingDouble((Ranked r) -> r.entry().bias()).reversed())
            .thenComparing(r -> r.entry().itemId());

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final TrendingItems trending;
    private final long refreshMillis;
    private final LongSupplier clock;
    private volatile List<ScoredItem> ranked = List.of();
    private volatile long rankedAt;
    private volatile boolean changed;

    /** What breaks ties between equal decayed counts; the count itself is in {@link #trending}. */
    private record Entry(String itemId, long positiveCount, float bias) {
    }

    private record Ranked(Entry entry, double score) {
    }

    /**
     * @param trendingHalfLife how fast a positive's weight halves: the updater's
     *                         {@code recommendations.trending.half.life.ms}, or the two lists differ
     */
    PopularItems(final long refreshMillis, final Duration trendingHalfLife, final LongSupplier clock) {
        this.trending = new TrendingItems(trendingHalfLife);
        this.refreshMillis = refreshMillis;
        this.clock = clock;
    }

    /**
     * The item's latest record replaces whatever was held for it (the compacted topic's last write
     * wins). A usable record ({@code UsableItemFactors}): {@link MatrixItemVectors} takes no other,
     * and {@link TrendingItems} refuses a decayed count no item stage writes.
     */
    void put(final ItemFactors factors) {
        final String itemId = factors.getItemId();
        trending.set(itemId, null, factors.getTrendingScore(), factors.getTrendingAt().toEpochMilli());
        entries.put(itemId, new Entry(itemId, factors.getPositiveCount(), factors.getBias()));
        changed = true;
    }

    void remove(final String itemId) {
        // TrendingItems has no removal: a zero score is what the updater leaves for a deleted item
        // too. The item leaves the list because it leaves the entries.
        trending.set(itemId, null, 0.0, 0L);
        if (entries.remove(itemId) != null) {
            changed = true;
        }
    }

    /** The {@code limit} most popular items, scored by their decayed positive count when last ranked. */
    List<ScoredItem> top(final int limit) {
        final long now = clock.getAsLong();
        if (changed && now - rankedAt >= refreshMillis) {
            rerank(now);
        }
        final List<ScoredItem> list = ranked;
        return list.subList(0, Math.min(limit, list.size()));
    }

    private synchronized void rerank(final long now) {
        if (!changed || now - rankedAt < refreshMillis) {
            return;
        }
        // Cleared before reading so a write racing with this sort marks the list stale again.
        changed = false;
        final List<Ranked> all = new ArrayList<>(entries.size());
        for (final Entry entry : entries.values()) {
            all.add(new Ranked(entry, trending.scoreAt(entry.itemId(), now)));
        }
        all.sort(RANK);
        ranked = all.stream().map(r -> new ScoredItem(r.entry().itemId(), r.score())).toList();
        rankedAt = now;
    }
}
