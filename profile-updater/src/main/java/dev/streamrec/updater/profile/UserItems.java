package dev.streamrec.updater.profile;

import dev.streamrec.schemas.InteractionKind;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Keys and flags of the {@code user-items-store}: one entry per (user, item) the user ever touched,
 * holding a bit per interaction kind. It gives the exact distinct-item count and the items to
 * exclude from the user's recommendations, found by a prefix scan on {@code userId + NUL}.
 */
public final class UserItems {
    public static final char SEPARATOR = '\u0000';
    /**
     * Users with at most this many distinct items have their whole history read in one prefix
     * scan per event, which then answers the event's own lookup, every "has the user seen this
     * negative?" and the refresh's exclusions; with the benchmark's ~20 items per user a RocksDB
     * lookup per sampled negative cost 2.5 times as much (async-profiler). Longer histories are
     * looked up item by item, so no event reads an unbounded history. The bound itself is a
     * guess, not measured: a scan step is cheaper than a lookup, so it only has to stay well
     * above the ~10 candidates an event checks.
     */
    public static final int SCAN_MAX_ITEMS = 256;

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

    /** Every item the user has touched, with its kind flags, in one prefix scan. */
    public static Map<String, Integer> history(final ReadOnlyKeyValueStore<String, Integer> store, final String userId) {
        final Map<String, Integer> items = new HashMap<>();
        try (KeyValueIterator<String, Integer> scan = store.prefixScan(prefix(userId), new StringSerializer())) {
            scan.forEachRemaining(entry -> items.put(itemOf(entry.key), entry.value));
        }
        return items;
    }

    public static int flag(final InteractionKind kind) {
        return 1 << kind.ordinal();
    }

    public static boolean has(final int flags, final InteractionKind kind) {
        return (flags & flag(kind)) != 0;
    }
}
