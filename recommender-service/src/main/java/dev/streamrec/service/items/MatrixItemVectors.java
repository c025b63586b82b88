package dev.streamrec.service.items;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.updater.ranking.ItemFactorMatrix;
import dev.streamrec.updater.ranking.RankedItems;
import dev.streamrec.updater.ranking.SimilarItems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ItemVectors} over the ranking kernel's dense {@link ItemFactorMatrix} (cosine neighbours
 * by {@link SimilarItems}) plus {@link PopularItems} for cold starts (the updater's trending rank).
 *
 * <p>The matrix's rank is fixed when it is made, and the service learns the model's rank only from
 * the first vector it reads, so the matrix is created then. A vector of another rank (the updater
 * redeployed with a different rank, old records not yet compacted away) is skipped, with a warning
 * the first time: throwing would stop the global stream thread and with it every query. Its
 * popularity is still taken. The matrix keeps the first size it saw, so after a rank change a
 * running service keeps the old vectors and a restarted one takes whichever size it reads first.
 */
public final class MatrixItemVectors implements ItemVectors {
    private static final Logger LOG = LoggerFactory.getLogger(MatrixItemVectors.class);

    private final PopularItems popular;
    private volatile ItemFactorMatrix matrix;
    private volatile boolean loaded;
    /** Whether a vector of another rank has been logged; written by the global thread only. */
    private boolean rankMismatchLogged;

    /**
     * @param popularRefreshMillis how often, at most, the popularity ranking is rebuilt
     * @param trendingHalfLife     half-life of the decayed positive counts the popularity ranking uses
     */
    public MatrixItemVectors(final long popularRefreshMillis, final Duration trendingHalfLife) {
        this.popular = new PopularItems(popularRefreshMillis, trendingHalfLife, System::currentTimeMillis);
    }

    @Override
    public void upsert(final ItemFactors factors) {
        final float[] vector = new float[factors.getFactors().size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = factors.getFactors().get(i);
        }
        if (vector.length == 0) {
            return; // an item whose every step so far was discarded: nothing learned yet
        }
        ItemFactorMatrix current = matrix;
        if (current == null) {
            current = new ItemFactorMatrix(vector.length);
            matrix = current;
        }
        // Popularity does not depend on the vector's size, so a record of another rank counts too:
        // after a rank change the items that keep being used are the first to publish vectors of
        // the new size, and leaving them out would hand cold-start lists to the unused ones.
        popular.put(factors);
        if (vector.length != current.rank()) {
            if (!rankMismatchLogged) {
                rankMismatchLogged = true;
                LOG.warn("Skipping factors of item {}: {} of them but the matrix, sized by the first record read, has {} "
                        + "(the updater's model.rank or model.sharing changed): such items have no similar items here "
                        + "but keep their popularity; further ones are not logged", factors.getItemId(), vector.length,
                        current.rank());
            }
            return;
        }
        current.upsert(factors.getItemId(), vector, factors.getBias(), factors.getVersion());
    }

    @Override
    public void remove(final String itemId) {
        final ItemFactorMatrix current = matrix;
        if (current != null) {
            current.remove(itemId);
        }
        popular.remove(itemId);
    }

    @Override
    public Optional<List<ScoredItem>> similar(final String itemId, final int limit) {
        final ItemFactorMatrix current = matrix;
        if (current == null) {
            return Optional.empty();
        }
        final int row = current.rowOf(itemId);
        // The service never marks items inactive, so a row that cannot be scored has no factors
        // (removed by a tombstone): as unknown as one never seen.
        if (row < 0 || !current.isScorable(row)) {
            return Optional.empty();
        }
        // SimilarItems keeps scratch buffers, one query at a time: one per request, sized to it.
        final RankedItems ranked = new SimilarItems(limit).similarTo(current, itemId);
        final List<ScoredItem> out = new ArrayList<>(ranked.size());
        for (int i = 0; i < ranked.size(); i++) {
            out.add(new ScoredItem(current.itemIdAt(ranked.rowAt(i)), ranked.scoreAt(i)));
        }
        return Optional.of(out);
    }

    @Override
    public List<ScoredItem> popular(final int limit) {
        return popular.top(limit);
    }

    @Override
    public int size() {
        final ItemFactorMatrix current = matrix;
        return current == null ? 0 : current.size();
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
