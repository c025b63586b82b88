package dev.streamrec.service.items;

import dev.streamrec.schemas.ItemFactors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Item popularity for cold-start lists: items ranked by the decayed positive count the updater's
 * trending lists rank by, which the item stage publishes in every ItemFactors as
 * {@code trendingScore} valued at {@code trendingAt}, halving per
 * {@code recommendations.trending.half.life.ms}; so an all-time hit leaves the list once its
 * positives are old. Equal decayed counts, and items with none (records written before the field
 * existed carry 0), then rank by lifetime {@code positiveCount}, bias, and id.
 *
 * <p><b>Every instance returns the same list.</b> Each item's rank key is computed from its own
 * record alone: {@code log2(score) + trendingAt / halfLife}, the log of its count scaled to the
 * epoch, so comparing keys compares the counts at any common time. The updater's
 * {@code TrendingItems} instead scales every count to a reference time set by the first record an
 * instance reads, so the rounding, and with it the order of counts equal up to an ulp, would
 * depend on the order records arrived in; its ties also go by arrival. {@link StrictMath} keeps
 * the key bit-identical on every JVM. What the updater's trending lists do that this one does not:
 * they leave out items with no decayed count and can be restricted by category.
 *
 * <p>The ranked list is cached and rebuilt at most once per {@code refreshMillis}: item vectors
 * change continuously while the model learns, and re-sorting on every request would cost more
 * than the answer is worth. Each item's score is its decayed count at the time the list was
 * ranked. One writer, any number of readers.
 */
final class PopularItems {
    private static final double LN_2 = StrictMath.log(2.0);
    private static final Comparator<Entry> RANK = Comparator.comparingDouble(Entry::rankKey).reversed()
            .thenComparing(Comparator.comparingLong(Entry::positiveCount).reversed())
            .thenComparing(Comparator.comparingDouble(Entry::bias).reversed())
            .thenComparing(Entry::itemId);

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Items the catalogue withdrew: kept in {@link #entries}, left out of the ranked list. */
    private final Set<String> withdrawn = ConcurrentHashMap.newKeySet();
    private final double halfLifeMillis;
    private final long refreshMillis;
    private final LongSupplier clock;
    private volatile List<ScoredItem> ranked = List.of();
    private volatile long rankedAt;
    private volatile boolean changed;

    /**
     * @param rankKey {@code log2} of the decayed count valued at the epoch; negative infinity for
     *                an item with none
     */
    private record Entry(String itemId, double rankKey, long positiveCount, float bias) {
    }

    /**
     * @param trendingHalfLife how fast a positive's weight halves: the updater's
     *                         {@code recommendations.trending.half.life.ms}, or the two lists differ
     */
    PopularItems(final long refreshMillis, final Duration trendingHalfLife, final LongSupplier clock) {
        if (trendingHalfLife.isNegative() || trendingHalfLife.isZero()) {
            throw new IllegalArgumentException("trendingHalfLife must be positive, was " + trendingHalfLife);
        }
        this.halfLifeMillis = trendingHalfLife.toMillis();
        this.refreshMillis = refreshMillis;
        this.clock = clock;
    }

    /**
     * The item's latest record replaces whatever was held for it (the compacted topic's last write
     * wins). A usable record ({@code UsableItemFactors}: a finite, non-negative count at a sane
     * time): {@link MatrixItemVectors} passes no other.
     */
    void put(final ItemFactors factors) {
        final String itemId = factors.getItemId();
        final double score = factors.getTrendingScore();
        final double rankKey = score > 0
                ? StrictMath.log(score) / LN_2 + factors.getTrendingAt().toEpochMilli() / halfLifeMillis
                : Double.NEGATIVE_INFINITY;
        entries.put(itemId, new Entry(itemId, rankKey, factors.getPositiveCount(), factors.getBias()));
        changed = true;
    }

    /** Follows the catalogue's active flag: a withdrawn item is left out until it is active again. */
    void setActive(final String itemId, final boolean active) {
        if (active ? withdrawn.remove(itemId) : withdrawn.add(itemId)) {
            changed = true;
        }
    }

    void remove(final String itemId) {
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
        final List<Entry> all = new ArrayList<>(entries.size());
        for (final Entry entry : entries.values()) {
            if (!withdrawn.contains(entry.itemId())) {
                all.add(entry);
            }
        }
        all.sort(RANK);
        final double nowInHalfLives = now / halfLifeMillis;
        ranked = all.stream().map(e -> new ScoredItem(e.itemId(), scoreAt(e.rankKey(), nowInHalfLives))).toList();
        rankedAt = now;
    }

    /** The decayed count at the time given in half-lives since the epoch: {@code 2^(key - t)}, 0 for none. */
    private static double scoreAt(final double rankKey, final double nowInHalfLives) {
        return rankKey == Double.NEGATIVE_INFINITY ? 0.0 : StrictMath.pow(2.0, rankKey - nowInHalfLives);
    }
}
