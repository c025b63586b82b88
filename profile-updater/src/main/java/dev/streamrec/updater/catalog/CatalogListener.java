package dev.streamrec.updater.catalog;

import dev.streamrec.schemas.Item;

/** Told of every catalog entry as the global catalog store sees it, so in-memory indexes follow. */
public interface CatalogListener {
    /** {@code item} is null when the entry was deleted (tombstone). */
    void onCatalogEntry(String itemId, Item item);

    /** Every entry of the restored store has been passed to {@link #onCatalogEntry} (at start). */
    default void onCatalogRestored() {
    }

    CatalogListener NONE = (itemId, item) -> { };
}
