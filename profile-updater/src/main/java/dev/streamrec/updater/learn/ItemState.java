package dev.streamrec.updater.learn;

import dev.streamrec.schemas.ItemFactors;
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
 */
public record ItemState(float[] factors, float bias, float interactionBias, long ratingCount, long positiveCount,
                        long version, long updateCount, long updatedAtMillis) {

    /** Before an item's first step: nothing learned yet (the stage starts it from its id). */
    public static final ItemState EMPTY = new ItemState(new float[0], 0f, 0f, 0L, 0L, 0L, 0L, 0L);

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
                .build();
    }

    /** The state a published (or formerly stored) record describes. */
    public static ItemState of(final ItemFactors record) {
        return new ItemState(Conversions.floats(record.getFactors()), record.getBias(), record.getInteractionBias(),
                record.getRatingCount(), record.getPositiveCount(), record.getVersion(), record.getUpdateCount(),
                record.getUpdatedAt().toEpochMilli());
    }
}
