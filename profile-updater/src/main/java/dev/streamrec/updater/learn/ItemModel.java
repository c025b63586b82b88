package dev.streamrec.updater.learn;

import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.updater.catalog.CatalogListener;
import dev.streamrec.updater.catalog.CatalogView;
import dev.streamrec.updater.config.UpdaterConfig.CandidateRules;
import dev.streamrec.updater.model.DecayedCount;
import dev.streamrec.updater.model.Hyperparameters;
import dev.streamrec.updater.model.ItemParameters;
import dev.streamrec.updater.model.ItemReader;
import dev.streamrec.updater.model.NegativeSampler;
import dev.streamrec.updater.model.PopularitySampler;
import dev.streamrec.updater.ranking.ClusterIndexRefresher;
import dev.streamrec.updater.ranking.ItemFactorMatrix;
import dev.streamrec.updater.ranking.TrendingItems;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's read view of every item, shared by all its stream threads: the item parameters
 * for the learner, the dense matrix for scoring, popularity for negative sampling and cold start,
 * and catalog flags. Built from the global stores ({@code model.item-factors} and
 * {@code catalog.items}); nothing here is the source of truth, so it is rebuilt from those stores
 * at start.
 *
 * <p>Threads: one writer (Kafka Streams' global thread, through {@link #onItemFactors} and
 * {@link #onCatalogEntry}), many readers (stream threads, HTTP threads). Parameters are replaced
 * whole in a concurrent map, the matrix has its own single-writer contract, and the sampler is
 * guarded by a lock because a Fenwick tree cannot be read while it is written.
 *
 * <p>It is also where the item stage starts an item its own store has nothing for
 * ({@link #published}): the same instance's copy of {@code model.item-factors}, complete before
 * the stream threads start, since Kafka Streams restores global stores first.
 */
public final class ItemModel implements CatalogListener, ItemReader, NegativeSampler, PublishedItems {
    private static final Logger LOG = LoggerFactory.getLogger(ItemModel.class);
    private final Hyperparameters hyperparameters;
    private final RankingProjection projection;
    private final ItemFactorMatrix matrix;
    /**
     * What was taken from each item's latest record, replaced whole: a reader gets the parameters,
     * the version and the counts of one record together.
     */
    private final Map<String, Taken> items = new ConcurrentHashMap<>();
    private final CatalogView catalog = new CatalogView();
    private final PopularitySampler sampler;
    private final TrendingItems trending;
    private final ClusterIndexRefresher candidateIndex;
    /** Whether a record of another size has been logged; written by the global thread only. */
    private boolean factorSizeMismatchLogged;
    /** Written by the global thread only. */
    private final UsableItemFactors.Skips unusable = new UsableItemFactors.Skips(LOG,
            "the item stays as its last usable record left it until its next step");

    /**
     * What this model took from an item's latest {@code model.item-factors} record.
     *
     * @param parameters    the record's, or null when its factors had another size than the model's
     * @param positiveCount the positive count last applied: the trending count changes only with it
     *                      (a positive step), so the 2-3 records per event that carry negatives only
     *                      cost trending nothing
     * @param updateCount   kept for {@link #published} alone, as is the trending count (score and
     *                      time): with them one map entry and one object per item hold what three
     *                      maps (parameters, versions, positive counts) and two boxed longs did
     */
    private record Taken(ItemParameters parameters, long version, long positiveCount, long updateCount,
                         double trendingScore, long trendingAtMillis) {
    }

    public ItemModel(final Hyperparameters hyperparameters, final Duration trendingHalfLife,
                     final CandidateRules candidates) {
        this.hyperparameters = hyperparameters;
        this.projection = new RankingProjection(hyperparameters);
        this.matrix = new ItemFactorMatrix(hyperparameters.dimensions());
        this.sampler = new PopularitySampler(hyperparameters.samplingExponent());
        this.trending = new TrendingItems(trendingHalfLife);
        this.candidateIndex = new ClusterIndexRefresher(matrix, candidates.minItems(), candidates.rebuildInterval());
    }

    public Hyperparameters hyperparameters() {
        return hyperparameters;
    }

    public RankingProjection projection() {
        return projection;
    }

    public ItemFactorMatrix matrix() {
        return matrix;
    }

    public TrendingItems trending() {
        return trending;
    }

    /** The matrix's cluster index for candidate generation, kept fresh in the background. */
    public ClusterIndexRefresher candidateIndex() {
        return candidateIndex;
    }

    /** This instance's decoded view of the catalog (categories and prices), which this model keeps current. */
    public CatalogView catalog() {
        return catalog;
    }

    /** The item's categories in the catalog, empty when unknown. */
    public List<String> categoriesOf(final String itemId) {
        return catalog.categoriesOf(itemId);
    }

    /** The latest parameters this instance has seen, or the deterministic initial ones. */
    @Override
    public ItemParameters read(final String itemId) {
        final Taken known = items.get(itemId);
        return known != null && known.parameters() != null ? known.parameters()
                : ItemParameters.initial(itemId, hyperparameters);
    }

    /**
     * Version of the item's latest record on {@code model.item-factors} this instance took, which
     * is the version the global store holds; -1 for an item not seen yet. {@link #read} answers with
     * that record's parameters, or with the initial ones when its factors had another size
     * ({@link #onItemFactors}): the item stage restarts such an item's factors from the initial
     * ones at that version too, so a step read from them is not stale.
     */
    public long versionOf(final String itemId) {
        final Taken known = items.get(itemId);
        return known != null ? known.version() : -1L;
    }

    /** {@link #versionOf}: the item stage asks it on every step, so without building the state. */
    @Override
    public long publishedVersion(final String itemId) {
        return versionOf(itemId);
    }

    /**
     * The item as its latest record on {@code model.item-factors} left it, for the item stage to go
     * on from when its store has nothing for the item: what {@link #read} answers (the record's
     * parameters, or the initial ones when its factors had another size), at the record's version,
     * with its counts and trending count. {@link ItemState#EMPTY} for an item this model has not
     * taken. The factors are the model's own, which nobody writes: copy them before a step
     * ({@link ItemState#parameters}). The update time is not kept (0): a step sets it.
     */
    @Override
    public ItemState published(final String itemId) {
        final Taken known = items.get(itemId);
        if (known == null) {
            return ItemState.EMPTY;
        }
        final ItemParameters item = known.parameters() != null ? known.parameters()
                : ItemParameters.initial(itemId, hyperparameters);
        return new ItemState(item.factors(), item.ratingBias(), item.interactionBias(), item.ratingCount(),
                known.positiveCount(), known.version(), known.updateCount(), 0L,
                new DecayedCount(known.trendingScore(), known.trendingAtMillis()));
    }

    @Override
    public List<String> sampleNegatives(final int count, final Predicate<String> excluded, final RandomGenerator random) {
        synchronized (sampler) {
            return sampler.sampleNegatives(count, excluded, random);
        }
    }

    /**
     * A new version of an item's factors arrived on {@code model.item-factors} (null: deleted), live
     * or restored at start.
     *
     * <p>Trending takes the item's decayed positive count as published ({@code trendingScore} at
     * {@code trendingAt}), replacing what it held for the item, rather than adding the change of
     * {@code positiveCount}: at start the store replays each item's latest record only, and the
     * change from nothing is the item's lifetime count, which would make all-time hits trend for
     * many half-lives after every restart, and instances started at different times disagree.
     * With the published count, live updates and a restore reach the same state. A record written
     * before that field (score 0) contributes nothing until the item's next step.
     *
     * <p>A record whose factors have another size than the model's dimensions was published
     * before {@code model.rank} (or {@code model.sharing}) changed, or, during a rolling change, by
     * an instance still running with the other size. The compacted topic keeps one per item until
     * the item's next step, so failing on it would stop every instance at start until the topic
     * was reset. It is skipped instead: the item is left without factors, ranked as an item with
     * none yet (its initial factors at version 0 when the catalog lists it, else not at all),
     * until the item stage re-learns them at its next step and publishes them at a higher version.
     * The record's version is still kept ({@link #versionOf}), as the store keeps the record, so an
     * older record stays rejected and the next one is taken.
     *
     * <p>A record no item stage writes ({@link UsableItemFactors}: a non-finite value, a negative
     * count) is not taken at all, and the item stays as its last usable record left it.
     *
     * @return false for such a record, which the caller should not keep either
     */
    public boolean onItemFactors(final String itemId, final ItemFactors record) {
        if (record == null) {
            items.remove(itemId);
            matrix.remove(itemId);
            trending.set(itemId, null, 0.0, 0L); // as a restore would: the compacted topic no longer has it
            return true;
        }
        final Optional<String> problem = UsableItemFactors.problem(record, System.currentTimeMillis());
        if (problem.isPresent()) {
            unusable.skipped(itemId, problem.get());
            return false;
        }
        if (record.getFactors().isEmpty()) {
            return true; // an item whose every step so far was discarded: nothing learned yet
        }
        final boolean fits = record.getFactors().size() == hyperparameters.dimensions();
        // Without factors when they have another size: right-size ones before it are impossible
        // from one rank, but during a rolling change instances of both sizes publish the same item in turn.
        final ItemParameters item = fits ? Conversions.item(record) : null;
        final long positiveCount = record.getPositiveCount();
        final Taken before = items.put(itemId, new Taken(item, record.getVersion(), positiveCount, record.getUpdateCount(),
                record.getTrendingScore(), record.getTrendingAt().toEpochMilli()));
        if (fits) {
            matrix.upsert(itemId, item.factors(), projection.rowBias(item), record.getVersion());
        } else {
            logFactorSizeMismatch(itemId, record.getFactors().size());
            if (catalog.get(itemId) != null) {
                rankInitialFactors(itemId);
            } else {
                matrix.remove(itemId);
            }
        }
        // Popularity and trending are taken from a record of another size too: the positive count
        // and the decayed count do not depend on the factors, and without them every item would
        // leave negative sampling and trending (the cold-start lists) after a rank change until
        // its next step. A negative drawn from such an item is read with its initial factors, as
        // the item stage restarts it, so it is a valid step that also re-learns the item sooner.
        if (before == null || before.positiveCount() != positiveCount) {
            synchronized (sampler) {
                sampler.setCount(itemId, positiveCount);
            }
            trend(itemId);
        }
        return true;
    }

    /**
     * Sets the item's trending count to its latest record's, or to none while the catalogue has it
     * withdrawn: the matrix never scores a withdrawn item, and the cold-start lists must not offer
     * it either. Called on both the item's records and its catalogue entries (one global thread), so
     * the outcome does not depend on which arrives first, and a reactivated item trends again with
     * the count it has.
     */
    private void trend(final String itemId) {
        final Taken known = items.get(itemId);
        if (known == null || withdrawn(itemId)) {
            trending.set(itemId, null, 0.0, 0L);
        } else {
            trending.set(itemId, categoriesOf(itemId), known.trendingScore(), known.trendingAtMillis());
        }
    }

    /**
     * Whether the catalogue marked the item inactive, or deleted it while this instance ran. (After a
     * restart a deleted item is only unknown to the catalogue, as compaction forgets tombstones: an
     * item is withdrawn for good by writing it with {@code active=false}.)
     */
    private boolean withdrawn(final String itemId) {
        final int row = matrix.rowOf(itemId);
        return row >= 0 && !matrix.isActive(row);
    }

    /** Logs the first record of another size this model skips, so a rank change is a line, not one per item. */
    private void logFactorSizeMismatch(final String itemId, final int size) {
        if (factorSizeMismatchLogged) {
            return;
        }
        factorSizeMismatchLogged = true;
        LOG.warn("Item {} on model.item-factors has {} factors but the model has {} dimensions (model.rank {} changed "
                + "since it was published, or model.sharing, or an instance still runs the other size): such items are "
                + "ranked as items with no factors yet until they re-learn their factors at their next step, which "
                + "publishes them at the new size; further ones are not logged", itemId, size,
                hyperparameters.dimensions(), hyperparameters.rank());
    }

    /**
     * Ranks a catalog item with the deterministic initial factors every instance computes, at
     * version 0, as long as it has no learned ones.
     */
    private void rankInitialFactors(final String itemId) {
        final ItemParameters initial = ItemParameters.initial(itemId, hyperparameters);
        matrix.upsert(itemId, initial.factors(), projection.rowBias(initial), 0L);
    }

    /**
     * A global store finished loading its restored entries into this model (global thread): the
     * matrix drops the slack its amortised growth left (up to a third of the factor memory,
     * measured +44 % over raw floats after growth, +8.6 % trimmed). Rows added later grow it again.
     */
    public void onRestored() {
        matrix.trimToSize();
    }

    @Override
    public void onCatalogRestored() {
        onRestored();
    }

    @Override
    public void onCatalogEntry(final String itemId, final Item item) {
        catalog.onCatalogEntry(itemId, item);
        if (item == null) {
            matrix.setActive(itemId, false);
            trend(itemId);
            return;
        }
        final int row = matrix.rowOf(itemId);
        final Taken known = items.get(itemId);
        if ((known == null || known.parameters() == null) && (row < 0 || matrix.versionAt(row) == 0)) {
            // A catalog item nobody has touched yet is still a candidate: it enters the matrix with
            // the deterministic initial factors every instance computes (version 0), so new items
            // can be discovered instead of waiting for popularity they cannot get.
            rankInitialFactors(itemId);
        }
        matrix.setActive(itemId, item.getActive());
        trend(itemId);
    }
}
