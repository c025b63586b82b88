package dev.streamrec.updater.catalog;

import dev.streamrec.schemas.Item;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the topology needs of each catalog item per event (its categories and price), decoded once
 * when the entry arrives rather than read from the global {@code catalog-store} and decoded again
 * for every event: that lookup was a RocksDB point read plus an Avro decode of the whole
 * {@link Item} per event, 4 % of the stream threads' CPU in the end-to-end profile. The store stays
 * the source of truth; this view follows it through {@link CatalogStoreUpdater}, which replays the
 * restored store into it at start, so after a restart it holds what the store holds.
 *
 * <p>Threads: one writer (the global thread), many readers (stream threads). Entries are replaced
 * whole in a concurrent map, so a reader sees either the old or the new entry, as it would reading
 * the global store while the global thread updates it.
 */
public final class CatalogView implements CatalogListener {
    /**
     * The facts of one catalog item an interaction is enriched with; {@code categories} is
     * immutable, {@code price} null when the catalog does not give one ({@code Item.price} is
     * optional in the schema, and an item without a price is still an item).
     */
    public record Entry(List<String> categories, Double price) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    @Override
    public void onCatalogEntry(final String itemId, final Item item) {
        if (item == null) {
            entries.remove(itemId);
        } else {
            entries.put(itemId, new Entry(List.copyOf(item.getCategories()), item.getPrice()));
        }
    }

    /** The item's entry, or null when the catalog does not have it (yet, or any more). */
    public Entry get(final String itemId) {
        return entries.get(itemId);
    }

    /** The item's categories, empty when the catalog does not have it. */
    public List<String> categoriesOf(final String itemId) {
        final Entry entry = entries.get(itemId);
        return entry == null ? List.of() : entry.categories();
    }
}
