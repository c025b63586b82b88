package dev.streamrec.updater.learn;

import dev.streamrec.schemas.ItemFactors;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global {@code item-factors-global-store} (fed by the compacted {@code model.item-factors}
 * on every instance) and this instance's {@link ItemModel} in step with it. At start the model is
 * rebuilt from what the store already holds (its local checkpoint), which Kafka Streams does not
 * pass through this processor; the rest of the topic is restored through {@link #process}
 * (KAFKA-7663), as live records are. Records whose factors have another size than the model's
 * (published before a {@code model.rank} change) are stored as they come and skipped by the model
 * ({@link ItemModel#onItemFactors}), at start and live alike, so neither stops the instance.
 * Records no item stage writes ({@link UsableItemFactors}) are neither stored nor modelled: the
 * store keeps the item's last usable record, which the model is rebuilt from at the next start.
 */
public final class ItemFactorsGlobalUpdater implements Processor<String, ItemFactors, Void, Void> {
    private final String storeName;
    private final ItemModel model;
    private KeyValueStore<String, ItemFactors> store;

    public ItemFactorsGlobalUpdater(final String storeName, final ItemModel model) {
        this.storeName = storeName;
        this.model = model;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        try (KeyValueIterator<String, ItemFactors> all = store.all()) {
            all.forEachRemaining(entry -> model.onItemFactors(entry.key, entry.value));
        }
        model.onRestored();
    }

    @Override
    public void process(final Record<String, ItemFactors> record) {
        if (record.key() == null) {
            return;
        }
        // Never go back to an older version of an item. The model knows the version the store
        // holds (item factors reach both only here, and the model is rebuilt from the store at
        // start), so no RocksDB read and Avro decoding of the previous record per update: paced,
        // the global thread applies 0.3-2.3 item-factors records per event (bench). Of the records
        // the store keeps and the model does not apply, one of another size (a model.rank change)
        // keeps its version in the model, and one of an item with no factors yet (every step
        // discarded) is at version 0, so the model's -1 for it rejects nothing the store's 0 would not.
        if (record.value() != null && model.versionOf(record.key()) > record.value().getVersion()) {
            return;
        }
        // The model first: a record it refuses as unusable is not stored either, so the store keeps
        // the item's last usable record, which is what the model is rebuilt from at the next start.
        if (!model.onItemFactors(record.key(), record.value())) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
