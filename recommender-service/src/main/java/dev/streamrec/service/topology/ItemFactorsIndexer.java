package dev.streamrec.service.topology;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.service.items.ItemVectors;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the item-factors global store and the in-memory {@link ItemVectors} in step. Reads topic
 * {@code model.item-factors} (itemId to ItemFactors) and writes store
 * {@link ServiceStores#ITEM_FACTORS}.
 *
 * <p>Runs on the global stream thread, the index's single writer. {@code init} loads every item the
 * store already holds, because a restart restores the store from its local checkpoint without
 * passing the checkpointed records through {@code process}. It does not mark the index loaded:
 * Kafka Streams calls {@code init} before restoring the rest of the topic through {@code process},
 * so {@link ItemVectorsLoadedListener} does that once Kafka Streams is running.
 */
final class ItemFactorsIndexer implements Processor<String, ItemFactors, Void, Void> {
    private final ItemVectors index;
    private KeyValueStore<String, ItemFactors> store;

    ItemFactorsIndexer(final ItemVectors index) {
        this.index = index;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        store = context.getStateStore(ServiceStores.ITEM_FACTORS);
        try (KeyValueIterator<String, ItemFactors> all = store.all()) {
            all.forEachRemaining(entry -> index.upsert(entry.value));
        }
    }

    @Override
    public void process(final Record<String, ItemFactors> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            index.remove(record.key());
            return;
        }
        // The index first: a record it refuses as unusable is not stored either, so the store keeps
        // the item's last usable record, which the index is rebuilt from at the next start.
        if (index.upsert(record.value())) {
            store.put(record.key(), record.value());
        }
    }
}
