package dev.streamrec.updater.ranking;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Time-decayed popularity per item, for cold-start users: each event adds its weight, and every
 * weight halves per configured half-life of <em>event time</em>. An item's score at time
 * {@code t} is {@code Σ_e w_e · 2^(-(t - t_e) / halfLife)}.
 *
 * <p><b>Lazy decay.</b> Decaying every item on every event would cost O(items) per event.
 * Instead each item stores its sum scaled to a common reference time {@code T0}:
 * {@code stored = Σ_e w_e · 2^((t_e - T0) / halfLife)}, so an event touches only its item, and
 * the score at {@code t} is {@code stored · 2^(-(t - T0) / halfLife)}: the same factor for every
 * item, so the ranking never depends on {@code t}. When an event's time gets
 * {@value #REBASE_AFTER_HALF_LIVES} half-lives past {@code T0}, its scale factor would
 * approach the range of a double, so all stored sums are rescaled once to a new {@code T0}
 * (O(items), once per many half-lives). Events out of order are fine: older ones just add less.
 *
 * <p>Items carry their categories, supplied by the caller with the events (the catalog join
 * knows them); {@link #top} can restrict to allowed categories and leave out items. Ties rank
 * by first appearance. Sized for ~100k items: a {@code top} call is one pass over primitive
 * arrays with a bounded heap.
 *
 * <p><b>Threading.</b> All methods are synchronized: typically one stream thread records while
 * HTTP threads ask for the top items, and a 100k-item pass holds the lock well under a
 * millisecond.
 */
public final class TrendingItems {

    /** Rebase when an event is this many half-lives past the reference time (2^256 ≪ 1.8e308). */
    static final double REBASE_AFTER_HALF_LIVES = 256.0;
    private static final String[] NO_CATEGORIES = new String[0];

    private final double halfLifeMillis;
    private final Map<String, Integer> rowOfItem = new HashMap<>();
    private String[] itemIds = new String[1024];
    private String[][] categories = new String[1024][];
    /** Decayed sums scaled to {@link #referenceTime}. */
    private double[] stored = new double[1024];
    private int size;
    private long referenceTime;
    private boolean referenceSet;

    /** One trending item and its decayed score at the time asked for. */
    public record TrendingItem(String itemId, double score) {
    }

    public TrendingItems(final Duration halfLife) {
        Objects.requireNonNull(halfLife, "halfLife");
        if (halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("halfLife must be positive, was " + halfLife);
        }
        this.halfLifeMillis = halfLife.toMillis();
    }

    /**
     * Adds an event of weight {@code weight} (e.g. 1 for a click, more for a purchase) for the
     * item at {@code eventTimeMillis}, and records the item's categories.
     */
    public synchronized void record(final String itemId, final Collection<String> itemCategories,
                                    final long eventTimeMillis, final double weight) {
        Objects.requireNonNull(itemId, "itemId");
        if (!Double.isFinite(weight) || weight < 0) {
            throw new IllegalArgumentException("weight must be finite and not negative, was " + weight);
        }
        final int row = rowAt(itemId, itemCategories, eventTimeMillis);
        stored[row] += weight * Math.pow(2.0, (eventTimeMillis - referenceTime) / halfLifeMillis);
    }

    /**
     * Replaces the item's decayed score with {@code score} valued at {@code timeMillis}, and records
     * its categories when given. For a source that keeps each item's decayed sum itself (the item
     * stage publishes one per item, {@code ItemFactors.trendingScore}): its latest value per item
     * is then the whole state, so the scores do not depend on the order items arrive in, and a
     * model rebuilt from the latest values equals one that followed every change. A zero score
     * for an item never seen adds no row.
     */
    public synchronized void set(final String itemId, final Collection<String> itemCategories,
                                 final double score, final long timeMillis) {
        Objects.requireNonNull(itemId, "itemId");
        if (!Double.isFinite(score) || score < 0) {
            throw new IllegalArgumentException("score must be finite and not negative, was " + score);
        }
        if (score == 0.0) { // nothing (left) to count: no new row, and no effect on the reference time
            final Integer row = rowOfItem.get(itemId);
            if (row != null) {
                stored[row] = 0.0;
            }
            return;
        }
        final int row = rowAt(itemId, itemCategories, timeMillis);
        // Long before the reference time the factor underflows to 0: decayed away, as it should be.
        stored[row] = score * Math.pow(2.0, (timeMillis - referenceTime) / halfLifeMillis);
    }

    /**
     * The item's row for a value at {@code timeMillis}: the first value sets the reference time,
     * one too far past it rebases every row first; the item's categories are recorded when given.
     */
    private int rowAt(final String itemId, final Collection<String> itemCategories, final long timeMillis) {
        if (!referenceSet) {
            referenceTime = timeMillis;
            referenceSet = true;
        }
        if ((timeMillis - referenceTime) / halfLifeMillis > REBASE_AFTER_HALF_LIVES) {
            rebase(timeMillis);
        }
        final int row = rowFor(itemId);
        if (itemCategories != null) {
            categories[row] = itemCategories.toArray(NO_CATEGORIES);
        }
        return row;
    }

    /** The item's decayed score at {@code timeMillis}; 0 for an item never recorded. */
    public synchronized double scoreAt(final String itemId, final long timeMillis) {
        final Integer row = rowOfItem.get(itemId);
        return row == null ? 0.0 : stored[row] * decayFromReference(timeMillis);
    }

    /** Number of items ever recorded. */
    public synchronized int size() {
        return size;
    }

    /**
     * The {@code n} items with the highest decayed score, best first (ties by first appearance),
     * scored at {@code nowMillis}.
     *
     * @param allowedCategories when not empty, only items with at least one of these categories
     * @param excludedItemIds   items to leave out (e.g. what the user already has)
     */
    public synchronized List<TrendingItem> top(final int n, final long nowMillis, final Set<String> allowedCategories,
                                               final Set<String> excludedItemIds) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        final int[] rows = bestRows(n, allowedCategories, excludedItemIds);
        final double decay = decayFromReference(nowMillis);
        final TrendingItem[] best = new TrendingItem[rows.length];
        for (int i = 0; i < rows.length; i++) {
            best[i] = new TrendingItem(itemIds[rows[i]], stored[rows[i]] * decay);
        }
        return List.of(best);
    }

    /**
     * The best {@code length} items of all categories as of {@code nowMillis}, with their
     * categories: a snapshot from which many users' category-restricted lists can be cut without
     * another pass over every item (see {@link Ranking#top}).
     */
    public synchronized Ranking ranking(final int length, final long nowMillis) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, was " + length);
        }
        final int[] rows = bestRows(length, Set.of(), Set.of());
        final double decay = decayFromReference(nowMillis);
        final TrendingItem[] best = new TrendingItem[rows.length];
        final String[][] bestCategories = new String[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            best[i] = new TrendingItem(itemIds[rows[i]], stored[rows[i]] * decay);
            bestCategories[i] = categories[rows[i]]; // replaced, never mutated, by record(): safe to share
        }
        // Fewer rows than asked for: every item with a count is in (those without one never trend).
        return new Ranking(best, bestCategories, rows.length < length || rows.length == size);
    }

    /**
     * A best-first prefix of the trending items at one instant, for one thread (one refresh batch
     * of a stream thread): its category index is built lazily, unsynchronised.
     *
     * @see #ranking
     */
    public static final class Ranking {
        private static final int[] NO_POSITIONS = new int[0];

        private final TrendingItem[] items;
        private final String[][] itemCategories;
        private final boolean complete;
        /**
         * Category → positions in {@link #items} of its items, ascending (best first); built on the
         * first restricted {@link #top}. A cold-start user's list then visits only the items of the
         * user's categories instead of testing every item's categories against them (that test was
         * over a third of a cold-start list's cost in the end-to-end profile: 1.5 % of the stream
         * threads paced, 0.9 % with this index, its building included).
         */
        private Map<String, int[]> positionsByCategory;

        private Ranking(final TrendingItem[] items, final String[][] itemCategories, final boolean complete) {
            this.items = items;
            this.itemCategories = itemCategories;
            this.complete = complete;
        }

        /**
         * What {@link TrendingItems#top} answered at the ranking's instant, if this prefix decides
         * it: filtering a best-first prefix keeps the order, and any item past the prefix ranks
         * below all of it, so once {@code n} items pass the filters (or the prefix is every item)
         * they are the answer. Empty when the filters leave fewer than {@code n} of a partial
         * prefix: ask {@link TrendingItems#top} then.
         */
        public Optional<List<TrendingItem>> top(final int n, final Set<String> allowedCategories,
                                                final Set<String> excludedItemIds) {
            final List<TrendingItem> out = new ArrayList<>(n);
            if (allowedCategories.isEmpty()) {
                for (int i = 0; i < items.length && out.size() < n; i++) {
                    if (!excludedItemIds.contains(items[i].itemId())) {
                        out.add(items[i]);
                    }
                }
            } else {
                mergeAllowed(n, allowedCategories, excludedItemIds, out);
            }
            return out.size() == n || complete ? Optional.of(out) : Optional.empty();
        }

        /**
         * The items of any allowed category, best first, each once: a merge of the categories'
         * ascending position lists (a user has a handful of categories, so a linear pick of the
         * smallest head is enough).
         */
        private void mergeAllowed(final int n, final Set<String> allowedCategories, final Set<String> excludedItemIds,
                                  final List<TrendingItem> out) {
            final Map<String, int[]> index = index();
            final int[][] lists = new int[allowedCategories.size()][];
            int listCount = 0;
            for (final String category : allowedCategories) {
                final int[] positions = index.getOrDefault(category, NO_POSITIONS);
                if (positions.length > 0) {
                    lists[listCount++] = positions;
                }
            }
            final int[] heads = new int[listCount];
            while (out.size() < n) {
                int next = Integer.MAX_VALUE;
                for (int l = 0; l < listCount; l++) {
                    if (heads[l] < lists[l].length) {
                        next = Math.min(next, lists[l][heads[l]]);
                    }
                }
                if (next == Integer.MAX_VALUE) {
                    return;
                }
                for (int l = 0; l < listCount; l++) { // an item in several allowed categories counts once
                    if (heads[l] < lists[l].length && lists[l][heads[l]] == next) {
                        heads[l]++;
                    }
                }
                if (!excludedItemIds.contains(items[next].itemId())) {
                    out.add(items[next]);
                }
            }
        }

        private Map<String, int[]> index() {
            if (positionsByCategory == null) {
                final Map<String, IntStream.Builder> building = new HashMap<>();
                for (int i = 0; i < items.length; i++) {
                    final String[] categories = itemCategories[i] == null ? NO_CATEGORIES : itemCategories[i];
                    for (int c = 0; c < categories.length; c++) {
                        if (!listedBefore(categories, c)) { // an item listing a category twice is in its list once
                            building.computeIfAbsent(categories[c], category -> IntStream.builder()).add(i);
                        }
                    }
                }
                final Map<String, int[]> built = new HashMap<>(building.size() * 2);
                building.forEach((category, positions) -> built.put(category, positions.build().toArray()));
                positionsByCategory = built;
            }
            return positionsByCategory;
        }

        private static boolean listedBefore(final String[] categories, final int c) {
            for (int earlier = 0; earlier < c; earlier++) {
                if (categories[earlier].equals(categories[c])) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Rows of the best {@code n} items passing the filters, best first (ties: earlier row first). */
    private int[] bestRows(final int n, final Set<String> allowedCategories, final Set<String> excludedItemIds) {
        final int capacity = Math.min(n, size);
        final double[] heapScores = new double[capacity];
        final int[] heapRows = new int[capacity];
        int heapSize = 0;
        for (int row = 0; row < size; row++) {
            final double score = stored[row];
            // A row without a count (set to none: withdrawn, deleted; or decayed to nothing) is not
            // trending. Rows come in ascending order: an equal score loses to the earlier row already kept.
            if (!(score > 0.0) || heapSize == capacity && (capacity == 0 || score <= heapScores[0])) {
                continue;
            }
            if (!inAnyOf(categories[row], allowedCategories) || excludedItemIds.contains(itemIds[row])) {
                continue;
            }
            if (heapSize < capacity) {
                heapSize = siftUp(heapScores, heapRows, heapSize, score, row);
            } else {
                siftDown(heapScores, heapRows, heapSize, score, row);
            }
        }
        final int[] best = new int[heapSize];
        for (int i = heapSize - 1; i >= 0; i--) {
            best[i] = heapRows[0];
            if (i > 0) {
                siftDown(heapScores, heapRows, i, heapScores[i], heapRows[i]);
            }
        }
        return best;
    }

    /** True when {@code allowed} is empty (no restriction) or holds one of {@code categories}. */
    private static boolean inAnyOf(final String[] categories, final Set<String> allowed) {
        if (allowed.isEmpty()) {
            return true;
        }
        for (final String category : categories) {
            if (allowed.contains(category)) {
                return true;
            }
        }
        return false;
    }

    private double decayFromReference(final long timeMillis) {
        return Math.pow(2.0, -(timeMillis - referenceTime) / halfLifeMillis);
    }

    /** Moves the reference time to {@code newReference}, rescaling every stored sum. */
    private void rebase(final long newReference) {
        final double factor = Math.pow(2.0, -(newReference - referenceTime) / halfLifeMillis);
        for (int row = 0; row < size; row++) {
            stored[row] *= factor;
        }
        referenceTime = newReference;
    }

    private int rowFor(final String itemId) {
        final Integer existing = rowOfItem.get(itemId);
        if (existing != null) {
            return existing;
        }
        if (size == itemIds.length) {
            final int grown = size + (size >> 1);
            itemIds = Arrays.copyOf(itemIds, grown);
            categories = Arrays.copyOf(categories, grown);
            stored = Arrays.copyOf(stored, grown);
        }
        final int row = size++;
        itemIds[row] = itemId;
        categories[row] = NO_CATEGORIES;
        rowOfItem.put(itemId, row);
        return row;
    }

    /** Worse = lower score, or equal score and later row; the heap's root is the worst kept. */
    private static boolean isWorse(final double scoreA, final int rowA, final double scoreB, final int rowB) {
        return scoreA < scoreB || (scoreA == scoreB && rowA > rowB);
    }

    private static int siftUp(final double[] scores, final int[] rows, final int size, final double score, final int row) {
        int child = size;
        while (child > 0) {
            final int parent = (child - 1) >>> 1;
            if (!isWorse(score, row, scores[parent], rows[parent])) {
                break;
            }
            scores[child] = scores[parent];
            rows[child] = rows[parent];
            child = parent;
        }
        scores[child] = score;
        rows[child] = row;
        return size + 1;
    }

    /** Replaces the root with the given entry within the first {@code size} cells. */
    private static void siftDown(final double[] scores, final int[] rows, final int size, final double score, final int row) {
        int parent = 0;
        while (true) {
            int child = 2 * parent + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && isWorse(scores[child + 1], rows[child + 1], scores[child], rows[child])) {
                child++;
            }
            if (!isWorse(scores[child], rows[child], score, row)) {
                break;
            }
            scores[parent] = scores[child];
            rows[parent] = rows[child];
            parent = child;
        }
        scores[parent] = score;
        rows[parent] = row;
    }
}
