package dev.streamrec.updater.learn;

/**
 * Items as this instance last read them from {@code model.item-factors} (in the topology: its
 * {@link ItemModel}), for the item stage to go on from when its own store has nothing for an item.
 */
@FunctionalInterface
public interface PublishedItems {
    /** Nothing published: every item starts from its initial parameters (tests). */
    PublishedItems NONE = itemId -> ItemState.EMPTY;

    /**
     * The item's latest published state, with factors of the model's size, or
     * {@link ItemState#EMPTY} when none was read. Its factors may be shared: never write them.
     */
    ItemState published(String itemId);

    /**
     * The version of the item's latest published state, -1 when none was read: what the item stage
     * compares its stored version with on every step, so cheaper than {@link #published}.
     */
    default long publishedVersion(final String itemId) {
        final ItemState state = published(itemId);
        return state.isEmpty() ? -1L : state.version();
    }
}
