package dev.streamrec.updater.learn;

import dev.streamrec.schemas.ItemUpdate;
import dev.streamrec.updater.model.DecayedCount;
import dev.streamrec.updater.model.Hyperparameters;
import dev.streamrec.updater.model.ItemParameters;
import dev.streamrec.updater.model.SgdStep;
import dev.streamrec.updater.model.StepOutcome;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.kstream.Aggregator;
import org.apache.kafka.streams.kstream.Initializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The item stage's arithmetic: the single owner of each item's parameters folds every
 * {@link ItemUpdate} from the user stage into them ({@link SgdStep#applyItemSide}), bumping the
 * item's version and counts.
 *
 * <p>The topology runs it as a DSL aggregation keyed by item id, materialised in
 * {@code item-factors-store} ({@link ItemState}, {@link ItemStateSerde}) with Kafka Streams' record
 * cache on: many steps to one item within a commit interval reach the changelog and
 * {@code model.item-factors} as one record carrying the latest version, and whatever the cache
 * holds is flushed on every commit, including the commit made when a task closes, so no applied
 * step stays unpublished.
 *
 * <p>Staleness-aware damping (Zhang, Gupta, Lian and Liu 2016, "Staleness-aware Async-SGD for
 * distributed deep learning", IJCAI): a step computed against version v of the item and applied
 * when the item is at version v + τ missed τ updates; beyond a tolerance τ0
 * ({@code model.staleness.tolerance}) its item side is scaled by τ0 / τ. When a backlog or a slow
 * global thread makes many users push the same item from the same stale error, their steps no
 * longer add up to an overshoot. The tolerance matters: the version counts every user's steps,
 * so a popular item misses dozens of updates in normal operation, and damping those (the paper's
 * τ0 = 1) kept the item factors from learning (ML-100k through Kafka: recall@20 0.254 against
 * 0.308 offline). A step whose read version is unknown (-1, the item's initial parameters) counts
 * τ from version 0.
 *
 * <p>Trending: each positive step also adds 1 to the item's {@link DecayedCount} at the record
 * time of the event that produced it ({@code ItemUpdate.recordTime}; this aggregator sees no
 * record context), halving per {@code recommendations.trending.half.life.ms}. The owner of the
 * item is the one place that sees all of its positives, so the count it publishes is what every
 * instance's trending items are rebuilt from, live and after a restart alike. A step from an older
 * user stage (no record time) counts in {@code positiveCount} only.
 *
 * <p>After a {@code model.rank} (or {@code model.sharing}) change the store holds factors of the
 * old size: the item's next step starts them afresh and carries on its version and counts
 * ({@link #apply}), so a rank change needs no reset of the store or of {@code model.item-factors}.
 * Steps computed by user stages of the old rank are dropped.
 *
 * <p>An item the store has nothing for starts from what this instance's {@link ItemModel} read of
 * it on {@code model.item-factors} ({@link PublishedItems}), and only when that is nothing too
 * from its initial parameters. The store is empty while the topic still holds the item after
 * {@code kafka-streams-application-reset} or under a new {@code application.id} (both leave the
 * compacted model topic as it was): started at version 1, the item's records would all be
 * rejected by every instance's global updater, which never goes back to an older version, until
 * its step count passed the version the topic holds, and the model would not learn the item until
 * then. So the item goes on from the published version (its next record is one above it), counts
 * and trending count, and from the published factors and biases (initial ones when those had
 * another size, {@link ItemModel#published}): they are what the user stages read and computed
 * their steps against. The model has read the whole topic by then, since Kafka Streams restores
 * global stores before the stream threads start, and the item's owner, this stage, is the only
 * writer after that. Only an item's first step in the store reads the published state whole; its
 * later steps find their state in the store and compare its version with the published one (one
 * map read). A store behind the topic (a changelog write lost under at-least-once, a state
 * directory of an older run) goes on from the published state the same way, for the same reason;
 * under {@code exactly_once_v2} the store is never behind, as the changelog and the topic are
 * written in one transaction.
 */
public final class ItemStage implements Aggregator<String, ItemUpdate, ItemState> {
    private static final Logger LOG = LoggerFactory.getLogger(ItemStage.class);

    private final Hyperparameters hyperparameters;
    private final SgdStep step;
    private final double trendingHalfLifeMillis;
    private final PublishedItems publishedItems;
    /**
     * Steps dropped as non-finite and not yet claimed by a report: per stage, so per instance, as
     * two instances in one JVM (tests, the demo) must not report each other's.
     */
    private final AtomicLong discarded = new AtomicLong();
    /**
     * Whether an item whose stored factors do not fit the model has been logged: once per stage,
     * which the topology builds once and every stream thread shares, so once per instance.
     */
    private final AtomicBoolean factorSizeMismatchLogged = new AtomicBoolean();
    /** Whether a step from a user stage of another rank has been logged, as above. */
    private final AtomicBoolean stepSizeMismatchLogged = new AtomicBoolean();
    /** Whether an item started from its published state has been logged, as above. */
    private final AtomicBoolean publishedStartLogged = new AtomicBoolean();

    /**
     * @param publishedItems where an item the store has nothing for starts from: this instance's
     *                       {@link ItemModel} in the topology
     */
    public ItemStage(final Hyperparameters hyperparameters, final Duration trendingHalfLife,
                     final PublishedItems publishedItems) {
        if (trendingHalfLife.isNegative() || trendingHalfLife.isZero()) {
            throw new IllegalArgumentException("trendingHalfLife must be positive, was " + trendingHalfLife);
        }
        this.hyperparameters = hyperparameters;
        this.step = new SgdStep(hyperparameters);
        this.trendingHalfLifeMillis = trendingHalfLife.toMillis();
        this.publishedItems = publishedItems;
    }

    /**
     * The aggregate before an item's first step in the store: no factors yet (the aggregator starts
     * it from the published item, else from its id).
     */
    public static Initializer<ItemState> initializer() {
        return () -> ItemState.EMPTY;
    }

    /**
     * Steps this stage dropped because they would have produced a non-finite value, since the
     * previous call: each is handed out once, so the user-stage tasks of the same topology that
     * report them (the item stage's aggregator has no task of its own to report from) together
     * count it once.
     */
    public long takeDiscardedSteps() {
        return discarded.getAndSet(0);
    }

    /**
     * Whether the stored factors have the model's dimensions. They do not when they were stored
     * before {@code model.rank} (or {@code model.sharing}) changed: read as they are, a shorter
     * vector throws on every step to the item (each one a dead letter) and a longer one is misread
     * and published at its old length, which no instance of the new size can use. Such an item
     * starts its factors afresh, biases and rating count included (the count sets the factors'
     * warm-up rate, which new factors need), as a user's do in the user stage.
     */
    private boolean fitsTheModel(final String itemId, final ItemState current) {
        final int size = current.factors().length;
        if (size == hyperparameters.dimensions()) {
            return true;
        }
        if (factorSizeMismatchLogged.compareAndSet(false, true)) {
            LOG.warn("Item {} has {} stored factors but the model has {} dimensions (model.rank {} changed since they "
                    + "were stored, or model.sharing): such items start their factors afresh at their next step and "
                    + "keep their version and counts; further ones are not logged", itemId, size,
                    hyperparameters.dimensions(), hyperparameters.rank());
        }
        return false;
    }

    /**
     * Whether the step's user vector has this model's rank. It has not when a user stage of
     * another {@code model.rank} sent it: in flight on the repartition topic across a restart with
     * a new rank, or from an instance not yet restarted during a rolling change. Such a step is
     * dropped, not sent to the dead-letter topic: it is the old model's gradient, which no later
     * run could apply either, and a rolling change sends many (each a dead letter with an error
     * and its stack trace before); the event it came from is kept in the user's profile. Logged
     * once per stage.
     */
    private boolean fromThisRank(final String itemId, final ItemUpdate update) {
        final int size = update.getUserFactors().size();
        if (size == hyperparameters.rank()) {
            return true;
        }
        if (stepSizeMismatchLogged.compareAndSet(false, true)) {
            LOG.warn("A step to item {} carries {} user factors but model.rank is {}: it was sent by a user stage of "
                    + "another model.rank (before a restart with a new one, or by an instance not yet restarted): "
                    + "such steps are dropped until every instance runs this rank; further ones are not logged",
                    itemId, size, hyperparameters.rank());
        }
        return false;
    }

    /**
     * Where an item the store has nothing for, or an older version than published, starts: as
     * published, when this instance has read it. Logged once per stage: it means the store lost
     * what the topic holds (a reset, a new {@code application.id}, a changelog write lost under
     * at-least-once), which an operator should know of.
     */
    private ItemState startOf(final String itemId, final ItemState stored) {
        final ItemState start = publishedItems.published(itemId);
        if (!start.isEmpty() && publishedStartLogged.compareAndSet(false, true)) {
            LOG.info("Item {} has {} in the item stage's store but model.item-factors holds it at version {} "
                    + "(after an application reset, under a new application.id, or after a changelog write was lost): "
                    + "such items go on from their published factors, counts and version; further ones are not logged",
                    itemId, stored.isEmpty() ? "no state" : "version " + stored.version(), start.version());
        }
        return start;
    }

    /** 1 while τ ≤ τ0, then τ0 / τ; τ = updates applied to the item since the step's read. */
    static float damping(final ItemUpdate update, final long currentVersion, final int tolerance) {
        final long staleness = currentVersion - Math.max(0, update.getReadVersion());
        return staleness <= tolerance ? 1f : (float) tolerance / staleness;
    }

    @Override
    public ItemState apply(final String itemId, final ItemUpdate update, final ItemState current) {
        // A step that is not applied leaves the state as it was, here and below; an empty one is not
        // published (ItemFactorsPublisher publishes only what is above the topic's version).
        if (!fromThisRank(itemId, update)) {
            return current;
        }
        // An empty state has nothing to lose (every count is 0): one whose steps were all discarded
        // is empty too. Only then, or when the store is behind the topic, is the published item
        // read whole (class comment).
        final ItemState base = current.isEmpty() || publishedItems.publishedVersion(itemId) > current.version()
                ? startOf(itemId, current) : current;
        final boolean fresh = base.isEmpty() || !fitsTheModel(itemId, base);
        final ItemParameters item = fresh ? ItemParameters.initial(itemId, hyperparameters) : base.parameters();
        // τ counts from the stored (or published) version also when the factors start afresh: user
        // stages read such an item at that version (ItemModel keeps the version of a record it skips).
        // 0 for an item with neither.
        final long version = base.version();
        if (step.applyItemSide(item, Conversions.step(update, damping(update, version, hyperparameters.stalenessTolerance())))
                == StepOutcome.DISCARDED) {
            discarded.incrementAndGet();
            return current;
        }
        // Version, update, positive and trending counts go on from the stored (or published) state
        // whether or not the factors started afresh: they do not depend on the factors' size, and a
        // version above the published one is what makes every instance's global updater take the
        // new factors.
        final boolean trends = update.getPositive() && update.getRecordTime() > 0;
        return new ItemState(item.factors(), item.ratingBias(), item.interactionBias(), item.ratingCount(),
                base.positiveCount() + (update.getPositive() ? 1 : 0), version + 1,
                base.updateCount() + 1, System.currentTimeMillis(),
                trends ? base.trending().plus(1.0, update.getRecordTime(), trendingHalfLifeMillis) : base.trending());
    }
}
