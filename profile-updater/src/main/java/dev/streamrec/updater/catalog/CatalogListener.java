package dev.streamrec.updater.catalog;

import dev.streamrec.schemas.Item;

/** Told of every catalog entry as the global catalog store sees it, so in-memory indexes follow. */
public interface CatalogListener {
    /** {@code item} is null when the entry was deleted (tombstone). */
    void onCatalogEntry(String itemId, Item item);

    CatalogListener NONE = (itemId, item) -> { };
}
