package dev.streamrec.updater.learn;

import dev.streamrec.schemas.ItemUpdate;
import dev.streamrec.updater.model.DecayedCount;
import dev.streamrec.updater.model.Hyperparameters;
import dev.streamrec.updater.model.ItemParameters;
import dev.streamrec.updater.model.SgdStep;
import dev.streamrec.updater.model.StepOutcome;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.kstream.Aggregator;
import org.apache.kafka.streams.kstream.Initializer;

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
 */
public final class ItemStage implements Aggregator<String, ItemUpdate, ItemState> {
    private static final AtomicLong DISCARDED = new AtomicLong();

    private final Hyperparameters hyperparameters;
    private final SgdStep step;
    private final double trendingHalfLifeMillis;

    public ItemStage(final Hyperparameters hyperparameters, final Duration trendingHalfLife) {
        if (trendingHalfLife.isNegative() || trendingHalfLife.isZero()) {
            throw new IllegalArgumentException("trendingHalfLife must be positive, was " + trendingHalfLife);
        }
        this.hyperparameters = hyperparameters;
        this.step = new SgdStep(hyperparameters);
        this.trendingHalfLifeMillis = trendingHalfLife.toMillis();
    }

    /** The aggregate before an item's first step: no factors yet (the aggregator starts it from its id). */
    public static Initializer<ItemState> initializer() {
        return () -> ItemState.EMPTY;
    }

    /**
     * Steps dropped in this JVM because they would have produced a non-finite value, since the
     * previous call: each is handed out once, so the user-stage tasks that report them (the item
     * stage's aggregator has no task of its own to report from) together count it once.
     */
    public static long takeDiscardedSteps() {
        return DISCARDED.getAndSet(0);
    }

    /** 1 while τ ≤ τ0, then τ0 / τ; τ = updates applied to the item since the step's read. */
    static float damping(final ItemUpdate update, final long currentVersion, final int tolerance) {
        final long staleness = currentVersion - Math.max(0, update.getReadVersion());
        return staleness <= tolerance ? 1f : (float) tolerance / staleness;
    }

    @Override
    public ItemState apply(final String itemId, final ItemUpdate update, final ItemState current) {
        final boolean fresh = current.isEmpty();
        final ItemParameters item = fresh ? ItemParameters.initial(itemId, hyperparameters) : current.parameters();
        if (step.applyItemSide(item, Conversions.step(update, damping(update, fresh ? 0 : current.version(), hyperparameters.stalenessTolerance())))
                == StepOutcome.DISCARDED) {
            DISCARDED.incrementAndGet();
            return current;
        }
        final boolean trends = update.getPositive() && update.getRecordTime() > 0;
        return new ItemState(item.factors(), item.ratingBias(), item.interactionBias(), item.ratingCount(),
                current.positiveCount() + (update.getPositive() ? 1 : 0), current.version() + 1,
                current.updateCount() + 1, System.currentTimeMillis(),
                trends ? current.trending().plus(1.0, update.getRecordTime(), trendingHalfLifeMillis) : current.trending());
    }
}
