package dev.streamrec.service.items;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Item popularity for cold-start lists: items ranked by the {@code positiveCount} of their latest
 * ItemFactors (how many observed interactions the item stage applied; sampled negatives do not
 * count), then by bias, then by id so ties are stable and every instance returns the same list.
 *
 * <p>The ranked list is cached and rebuilt at most once per {@code refreshMillis}: item vectors
 * change continuously while the model learns, and re-sorting on every request would cost more
 * than the answer is worth. One writer, any number of readers.
 */
final class PopularItems {
    private static final Comparator<Entry> RANK = Comparator.comparingLong(Entry::positiveCount).reversed()
            .thenComparing(Comparator.comparingDouble(Entry::bias).reversed())
            .thenComparing(Entry::itemId);

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long refreshMillis;
    private final LongSupplier clock;
    private volatile List<ScoredItem> ranked = List.of();
    private volatile long rankedAt;
    private volatile boolean changed;

    private record Entry(String itemId, long positiveCount, float bias) {
    }

    PopularItems(final long refreshMillis, final LongSupplier clock) {
        this.refreshMillis = refreshMillis;
        this.clock = clock;
    }

    void put(final String itemId, final long positiveCount, final float bias) {
        entries.put(itemId, new Entry(itemId, positiveCount, bias));
        changed = true;
    }

    void remove(final String itemId) {
        if (entries.remove(itemId) != null) {
            changed = true;
        }
    }

    /** The {@code limit} most popular items, scored by their positive count. */
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
        final List<Entry> all = new ArrayList<>(entries.values());
        all.sort(RANK);
        ranked = all.stream().map(e -> new ScoredItem(e.itemId(), e.positiveCount())).toList();
        rankedAt = now;
    }
}
