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
 *
 * <p>An entry whose key is not its {@code itemId} (a producer keying the topic by an Avro key, or
 * by another field) is skipped too, with a warning for the first: indexed under its key it would
 * make a phantom item of the key and leave the real item unknown, its events without categories.
 * Events find catalogue entries by item id, so the key must be the item id as a UTF-8 string.
 */
public final class CatalogStoreUpdater implements Processor<String, Item, Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(CatalogStoreUpdater.class);

    private final String storeName;
    private final CatalogListener listener;
    private KeyValueStore<String, Item> store;
    private boolean misKeyedWarned;

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
            // Only an entry that was indexed is removed from the indexes: a tombstone under a key
            // that never held one (mis-keyed, or deleted already) would make a phantom withdrawn item.
            final Item deleted = store.delete(record.key());
            if (deleted != null && record.key().equals(deleted.getItemId())) {
                tell(record.key(), null);
            }
            return;
        }
        store.put(record.key(), record.value());
        tell(record.key(), record.value());
    }

    private void tell(final String itemId, final Item item) {
        if (item != null && !itemId.equals(item.getItemId())) {
            skipMisKeyed(itemId, item.getItemId());
            return;
        }
        try {
            listener.onCatalogEntry(itemId, item);
        } catch (final RuntimeException e) {
            LOG.error("Catalog entry {} skipped: the in-memory catalogue could not take it ({}); "
                    + "it stays in {} and is tried again at the next start or update of that item",
                    itemId, item, storeName, e);
        }
    }

    private void skipMisKeyed(final String key, final String itemId) {
        if (misKeyedWarned) {
            LOG.debug("Catalog entry of item {} skipped: keyed {}, not by its item id", itemId, key);
            return;
        }
        misKeyedWarned = true;
        LOG.warn("Catalog entry of item {} skipped: its record key is {}, not its item id. catalog.items must be keyed "
                + "by the item id as a UTF-8 string (StringSerializer); until the item is written so, events for it "
                + "carry no categories or price. Further such entries are logged at DEBUG", itemId, key);
    }
}
