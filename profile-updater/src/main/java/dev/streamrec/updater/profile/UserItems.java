package dev.streamrec.updater.profile;

import dev.streamrec.schemas.InteractionKind;

/**
 * Keys and flags of the {@code user-items-store}: one entry per (user, item) the user ever touched,
 * holding a bit per interaction kind. It gives the exact distinct-item count and the items to
 * exclude from the user's recommendations, found by a prefix scan on {@code userId + NUL}.
 */
public final class UserItems {
    public static final char SEPARATOR = '\u0000';

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

    public static int flag(final InteractionKind kind) {
        return 1 << kind.ordinal();
    }

    public static boolean has(final int flags, final InteractionKind kind) {
        return (flags & flag(kind)) != 0;
    }
}
