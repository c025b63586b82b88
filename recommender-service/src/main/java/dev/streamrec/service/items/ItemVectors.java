package dev.streamrec.service.items;

import dev.streamrec.schemas.ItemFactors;
import java.util.List;
import java.util.Optional;

/**
 * The item side of the model as the service reads it: fed from the {@code model.item-factors}
 * global store by one writer (the global stream thread), read by many HTTP threads.
 */
public interface ItemVectors {

    /**
     * Records the latest vector of an item (last write wins: the compacted topic orders them).
     *
     * @return false when the record is unusable (a value no item stage writes, see
     *         {@code UsableItemFactors}) and was not taken: the item stays as it was, and the caller
     *         should not keep the record either
     */
    boolean upsert(ItemFactors factors);

    /** Forgets an item (its record was deleted by a tombstone). */
    void remove(String itemId);

    /**
     * Follows the catalogue's active flag of an item (false also when the catalogue deleted it): a
     * withdrawn item is in nobody's popular or similar list, and keeps its own similar items.
     */
    void setActive(String itemId, boolean active);

    /**
     * The {@code limit} items most similar to {@code itemId} by cosine of their factor vectors, most
     * similar first, the item itself excluded; empty when the item is unknown.
     */
    Optional<List<ScoredItem>> similar(String itemId, int limit);

    /** The {@code limit} most popular items, most popular first (see the implementation for the rank). */
    List<ScoredItem> popular(int limit);

    /** Items held. */
    int size();

    /**
     * Items whose latest vector was skipped for not having the configured size (no similar items
     * for them): after a {@code model.rank} change, the items not stepped since.
     */
    int skippedForSize();

    /** Called once everything already in the global store's topic has been loaded (Kafka Streams running). */
    void markLoaded();

    /** False until {@link #markLoaded()}: until then an unknown item may only be not loaded yet. */
    boolean loaded();
}
