package dev.streamrec.service.items;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.updater.learn.UsableItemFactors;
import dev.streamrec.updater.ranking.ItemFactorMatrix;
import dev.streamrec.updater.ranking.RankedItems;
import dev.streamrec.updater.ranking.SimilarItems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ItemVectors} over the ranking kernel's dense {@link ItemFactorMatrix} (cosine neighbours
 * by {@link SimilarItems}) plus {@link PopularItems} for cold starts (the updater's trending rank).
 *
 * <p>The matrix is as wide as the updater's item vectors, which the configuration says
 * ({@code model.rank} and {@code model.sharing}, see {@code ServiceConfig#itemDimensions}); the
 * records cannot, because after a change of either key the topic holds vectors of both sizes until
 * every item has stepped again, in any order. So the matrix exists from the start: empty, it knows
 * no item, as no matrix did. A vector of another size is skipped, with a warning the first time and
 * counted in {@link #skippedForSize()}: throwing would stop the global stream thread and with it
 * every query. The item's earlier vector goes with it, as the record replaces it on the topic. Its
 * popularity is still taken.
 */
public final class MatrixItemVectors implements ItemVectors {
    private static final Logger LOG = LoggerFactory.getLogger(MatrixItemVectors.class);

    private final PopularItems popular;
    private final ItemFactorMatrix matrix;
    /**
     * Items whose latest vector was skipped for its size: written by the global thread, its size
     * read by the metrics scrape, hence concurrent.
     */
    private final Set<String> otherSize = ConcurrentHashMap.newKeySet();
    private volatile boolean loaded;
    /** Whether a vector of another size has been logged; written by the global thread only. */
    private boolean sizeMismatchLogged;
    /** Written by the global thread only. */
    private final UsableItemFactors.Skips unusable = new UsableItemFactors.Skips(LOG,
            "the item stays as its last usable record left it");

    /**
     * @param dimensions           length of the item vectors the updater publishes
     *                             ({@code Hyperparameters.dimensions()})
     * @param popularRefreshMillis how often, at most, the popularity ranking is rebuilt
     * @param trendingHalfLife     half-life of the decayed positive counts the popularity ranking uses
     */
    public MatrixItemVectors(final int dimensions, final long popularRefreshMillis, final Duration trendingHalfLife) {
        this.matrix = new ItemFactorMatrix(dimensions);
        this.popular = new PopularItems(popularRefreshMillis, trendingHalfLife, System::currentTimeMillis);
    }

    @Override
    public boolean upsert(final ItemFactors factors) {
        final Optional<String> problem = UsableItemFactors.problem(factors, System.currentTimeMillis());
        if (problem.isPresent()) {
            unusable.skipped(factors.getItemId(), problem.get());
            return false;
        }
        final float[] vector = new float[factors.getFactors().size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = factors.getFactors().get(i);
        }
        if (vector.length == 0) {
            return true; // an item whose every step so far was discarded: nothing learned yet
        }
        // Popularity does not depend on the vector's size, so a record of another size counts too:
        // after a rank change the items that keep being used are the first to publish vectors of
        // the new size, and leaving them out would hand cold-start lists to the unused ones.
        popular.put(factors);
        if (vector.length != matrix.rank()) {
            otherSize.add(factors.getItemId());
            // The record replaces the item's earlier one, as on the compacted topic: an earlier
            // vector of the configured size is no longer the item's, so it goes as with a tombstone.
            matrix.remove(factors.getItemId());
            if (!sizeMismatchLogged) {
                sizeMismatchLogged = true;
                LOG.warn("Skipping factors of item {}: {} of them, but model.rank and model.sharing give {} (a record "
                        + "from before a change of either key, or the updater and this service configured apart): "
                        + "such items have no similar items here but keep their popularity; further ones are not "
                        + "logged, the metric streamrec.item.vectors.skipped counts them", factors.getItemId(),
                        vector.length, matrix.rank());
            }
            return true;
        }
        otherSize.remove(factors.getItemId());
        matrix.upsert(factors.getItemId(), vector, factors.getBias(), factors.getVersion());
        return true;
    }

    @Override
    public void remove(final String itemId) {
        matrix.remove(itemId);
        otherSize.remove(itemId);
        popular.remove(itemId);
    }

    @Override
    public void setActive(final String itemId, final boolean active) {
        // The matrix leaves inactive rows out of every neighbour list (SimilarItems scores only
        // scorable rows); an item not seen yet gets a row without factors that remembers the flag.
        matrix.setActive(itemId, active);
        popular.setActive(itemId, active);
    }

    @Override
    public Optional<List<ScoredItem>> similar(final String itemId, final int limit) {
        final int row = matrix.rowOf(itemId);
        // A row without factors (never had any, removed by a tombstone or by a vector of another
        // size) is as unknown as one never seen. A withdrawn item with factors still has neighbours.
        if (row < 0 || !matrix.hasFactors(row)) {
            return Optional.empty();
        }
        // SimilarItems keeps scratch buffers, one query at a time: one per request, sized to it.
        final RankedItems ranked = new SimilarItems(limit).similarTo(matrix, itemId);
        final List<ScoredItem> out = new ArrayList<>(ranked.size());
        for (int i = 0; i < ranked.size(); i++) {
            out.add(new ScoredItem(matrix.itemIdAt(ranked.rowAt(i)), ranked.scoreAt(i)));
        }
        return Optional.of(out);
    }

    @Override
    public List<ScoredItem> popular(final int limit) {
        return popular.top(limit);
    }

    @Override
    public int size() {
        return matrix.size();
    }

    @Override
    public int skippedForSize() {
        return otherSize.size();
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
