package dev.streamrec.updater.profile;

import dev.streamrec.schemas.InteractionKind;
import dev.streamrec.schemas.UserProfile;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A user's item history: every item they ever touched, with a bit per interaction kind. It gives
 * the exact distinct-item count and the items to exclude from the user's recommendations.
 *
 * <p>While a user has at most {@link #IN_PROFILE_MAX_ITEMS} distinct items, the history is a map
 * in their profile ({@code UserProfile.itemHistory}), read and written with it: one store read,
 * one write and one changelog record per event serve both. Beyond that bound it moves, once, to
 * the {@code user-items-store}, one entry per (user, item) under {@code userId + NUL + itemId},
 * and is looked up item by item, so no event reads or writes an unbounded value. Profiles written
 * before the map existed have their history in the store; a prefix scan reads it the first time.
 */
public final class UserItems {
    public static final char SEPARATOR = '\u0000';
    /**
     * The largest history kept in the profile. With the benchmark's ~20 items per user the map
     * replaced a prefix scan of the store (10 % of the stream threads' CPU at 5,000 events/s), a
     * put and a changelog record per event. The bound is a judgement, not a measurement: at 256
     * entries the map is ~3 KB of Avro per profile written, which stays cheaper than a lookup per
     * checked candidate (~10 per event) only while it is read whole by every event.
     */
    public static final int IN_PROFILE_MAX_ITEMS = 256;

    private UserItems() {
    }

    public static String key(final String userId, final String itemId) {
        return userId + SEPARATOR + itemId;
    }

    /** The scan prefix of all of one user's entries. */
    public static String prefix(final String userId) {
        return userId + SEPARATOR;
    }

    public static String itemOf(final String key) {
        return key.substring(key.indexOf(SEPARATOR) + 1);
    }

    /** Every item the user has touched, with its kind flags, in one prefix scan of the store. */
    public static Map<String, Integer> scan(final ReadOnlyKeyValueStore<String, Integer> store, final String userId) {
        final Map<String, Integer> items = new HashMap<>();
        try (KeyValueIterator<String, Integer> scan = store.prefixScan(prefix(userId), new StringSerializer())) {
            scan.forEachRemaining(entry -> items.put(itemOf(entry.key), entry.value));
        }
        return items;
    }

    /**
     * The user's whole history from wherever {@code profile} says it is (the profile's map, or a
     * scan of the store), or null when it is in the store and longer than the bound, so that
     * callers look it up item by item. The map is the caller's to change.
     */
    public static Map<String, Integer> read(final ReadOnlyKeyValueStore<String, Integer> store, final String userId,
                                            final UserProfile profile) {
        if (profile == null) {
            return new HashMap<>();
        }
        if (profile.getItemHistory() != null) {
            return new HashMap<>(profile.getItemHistory());
        }
        return profile.getDistinctItems() <= IN_PROFILE_MAX_ITEMS ? scan(store, userId) : null;
    }

    public static int flag(final InteractionKind kind) {
        return 1 << kind.ordinal();
    }

    public static boolean has(final int flags, final InteractionKind kind) {
        return (flags & flag(kind)) != 0;
    }
}
