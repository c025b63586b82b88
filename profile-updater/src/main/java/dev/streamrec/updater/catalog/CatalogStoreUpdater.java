package dev.streamrec.updater.catalog;

import dev.streamrec.schemas.Item;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintains the global catalog store ({@code catalog-store}, fed by {@code catalog.items} on every
 * instance) and tells a {@link CatalogListener} of each entry.
 *
 * <p>On start the listener is replayed the whole store: Kafka Streams restores a global store by
 * copying the topic into it without calling this processor, so the store, not the update stream, is
 * the source of truth for in-memory indexes.
 *
 * <p>An entry the listener cannot take is logged with its key and skipped, at start and on update
 * alike. A global store processor has no dead-letter path, and the store already holds the entry
 * when the listener is told (the store is written first, as the restore copies it): a failure that
 * escaped would stop the global thread, and so the whole instance, on every start from then on,
 * for one catalogue item.
 */
public final class CatalogStoreUpdater implements Processor<String, Item, Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogStoreUpdater.class);

    private final String storeName;
    private final CatalogListener listener;
    private KeyValueStore<String, Item> store;

    public CatalogStoreUpdater(final String storeName, final CatalogListener listener) {
        this.storeName = storeName;
        this.listener = listener;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
        try (KeyValueIterator<String, Item> all = store.all()) {
            all.forEachRemaining(entry -> tell(entry.key, entry.value));
        }
        listener.onCatalogRestored();
    }

    @Override
    public void process(final Record<String, Item> record) {
        if (record.key() == null) {
            return; // a catalog entry without an id cannot be looked up; the catalog topic is keyed by itemId
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
        tell(record.key(), record.value());
    }

    private void tell(final String itemId, final Item item) {
        try {
            listener.onCatalogEntry(itemId, item);
        } catch (final RuntimeException e) {
            LOG.error("Catalog entry {} skipped: the in-memory catalogue could not take it ({}); "
                    + "it stays in {} and is tried again at the next start or update of that item",
                    itemId, item, storeName, e);
        }
    }
}
