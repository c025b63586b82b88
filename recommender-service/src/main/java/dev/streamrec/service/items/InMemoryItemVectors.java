package dev.streamrec.service.items;

import dev.streamrec.schemas.ItemFactors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Item vectors in a concurrent map, each stored unit-length so a cosine is one dot product.
 * Similar items are found by a full scan with a bounded heap: O(items x rank) per query, which is a
 * few milliseconds for tens of thousands of items at rank 32.
 *
 * <p>Popularity, used for cold-start lists, ranks items by {@code updateCount} (the number of SGD
 * contributions the item stage applied, i.e. how many learnable interactions the item received),
 * then by bias, then by id so ties are stable and every instance returns the same list. The ranked
 * list is cached and rebuilt at most once per {@code popularRefreshMillis}, because item vectors
 * change continuously while the model learns and re-sorting on every request would cost more than
 * the answer is worth.
 */
public final class InMemoryItemVectors implements ItemVectors {
    private static final Comparator<Entry> BY_POPULARITY = Comparator.comparingLong(Entry::updateCount).reversed()
            .thenComparing(Comparator.comparingDouble(Entry::bias).reversed())
            .thenComparing(Entry::itemId);

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final long popularRefreshMillis;
    private volatile List<ScoredItem> popularCache = List.of();
    private volatile long popularBuiltAt;
    private volatile boolean changed;
    private volatile boolean loaded;

    /** One item: its unit-length vector (null when all zeros), bias, version and count. */
    private record Entry(String itemId, float[] unit, float bias, long version, long updateCount) {
    }

    public InMemoryItemVectors(final long popularRefreshMillis) {
        this.popularRefreshMillis = popularRefreshMillis;
    }

    @Override
    public void upsert(final ItemFactors factors) {
        final String itemId = factors.getItemId();
        final Entry held = entries.get(itemId);
        if (held != null && held.version() > factors.getVersion()) {
            return;
        }
        entries.put(itemId, new Entry(itemId, unit(factors.getFactors()), factors.getBias(), factors.getVersion(),
                factors.getUpdateCount()));
        changed = true;
    }

    @Override
    public void remove(final String itemId) {
        if (entries.remove(itemId) != null) {
            changed = true;
        }
    }

    private static float[] unit(final List<Float> factors) {
        final float[] v = new float[factors.size()];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = factors.get(i);
            norm += (double) v[i] * v[i];
        }
        if (norm == 0 || !Double.isFinite(norm)) {
            return null;
        }
        final float inverse = (float) (1.0 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inverse;
        }
        return v;
    }

    @Override
    public Optional<List<ScoredItem>> similar(final String itemId, final int limit) {
        final Entry query = entries.get(itemId);
        if (query == null) {
            return Optional.empty();
        }
        if (query.unit() == null) {
            return Optional.of(List.of());
        }
        final PriorityQueue<ScoredItem> best = new PriorityQueue<>(Comparator.comparingDouble(ScoredItem::score)
                .thenComparing(ScoredItem::itemId, Comparator.reverseOrder()));
        for (final Entry other : entries.values()) {
            if (other.unit() == null || other.itemId().equals(itemId) || other.unit().length != query.unit().length) {
                continue;
            }
            best.add(new ScoredItem(other.itemId(), dot(query.unit(), other.unit())));
            if (best.size() > limit) {
                best.poll();
            }
        }
        final List<ScoredItem> out = new ArrayList<>(best);
        out.sort(Comparator.comparingDouble(ScoredItem::score).reversed().thenComparing(ScoredItem::itemId));
        return Optional.of(out);
    }

    private static double dot(final float[] a, final float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    @Override
    public List<ScoredItem> popular(final int limit) {
        final long now = System.currentTimeMillis();
        if (changed && now - popularBuiltAt >= popularRefreshMillis) {
            rebuildPopular(now);
        }
        final List<ScoredItem> ranked = popularCache;
        return ranked.subList(0, Math.min(limit, ranked.size()));
    }

    private synchronized void rebuildPopular(final long now) {
        if (!changed || now - popularBuiltAt < popularRefreshMillis) {
            return;
        }
        changed = false;
        final List<Entry> all = new ArrayList<>(entries.values());
        all.sort(BY_POPULARITY);
        final List<ScoredItem> ranked = new ArrayList<>(all.size());
        all.forEach(e -> ranked.add(new ScoredItem(e.itemId(), e.updateCount())));
        popularCache = List.copyOf(ranked);
        popularBuiltAt = now;
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public void markLoaded() {
        loaded = true;
    }

    @Override
    public boolean loaded() {
        return loaded;
    }
}
