package dev.streamrec.updater.learn;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.updater.model.DecayedCount;
import dev.streamrec.updater.model.ItemParameters;
import java.time.Instant;

/**
 * What the item stage keeps per item in {@code item-factors-store}: the fields of the published
 * {@link ItemFactors} record with the factors as a plain {@code float[]} (the item id is the key).
 * The aggregation reads and writes it once per item step, so it is stored in
 * {@link ItemStateSerde}'s fixed binary layout instead of Avro; it becomes an {@link ItemFactors}
 * only when a changed item is published to {@code model.item-factors}.
 *
 * <p>A record over an array: equality compares the factor arrays by identity, so compare fields.
 *
 * @param factors         q_i; empty until the item's first applied step
 * @param updatedAtMillis wall-clock time of the last update
 * @param trending        the item's positives decayed with the trending half-life in record time
 *                        ({@link DecayedCount}): published so that every instance rebuilds the same
 *                        trending items from the compacted topic, where the lifetime
 *                        {@code positiveCount} would make all-time hits trend after every restart
 */
public record ItemState(float[] factors, float bias, float interactionBias, long ratingCount, long positiveCount,
                        long version, long updateCount, long updatedAtMillis, DecayedCount trending) {

    /** Before an item's first step: nothing learned yet (the stage starts it from its id). */
    public static final ItemState EMPTY = new ItemState(new float[0], 0f, 0f, 0L, 0L, 0L, 0L, 0L, DecayedCount.NONE);

    public boolean isEmpty() {
        return factors.length == 0;
    }

    /** The parameters, on a copy of the factors, for the SGD step to update in place. */
    public ItemParameters parameters() {
        return new ItemParameters(factors.clone(), bias, interactionBias, ratingCount);
    }

    /** The record published to {@code model.item-factors} under {@code itemId}. */
    public ItemFactors toRecord(final String itemId) {
        return ItemFactors.newBuilder()
                .setItemId(itemId)
                .setFactors(Conversions.list(factors))
                .setBias(bias)
                .setInteractionBias(interactionBias)
                .setRatingCount(ratingCount)
                .setPositiveCount(positiveCount)
                .setVersion(version)
                .setUpdateCount(updateCount)
                .setUpdatedAt(Instant.ofEpochMilli(updatedAtMillis))
                .setTrendingScore(trending.score())
                .setTrendingAt(Instant.ofEpochMilli(trending.atMillis()))
                .build();
    }

    /** The state a published (or formerly stored) record describes. */
    public static ItemState of(final ItemFactors record) {
        return new ItemState(Conversions.floats(record.getFactors()), record.getBias(), record.getInteractionBias(),
                record.getRatingCount(), record.getPositiveCount(), record.getVersion(), record.getUpdateCount(),
                record.getUpdatedAt().toEpochMilli(),
                new DecayedCount(record.getTrendingScore(), record.getTrendingAt().toEpochMilli()));
    }
}
