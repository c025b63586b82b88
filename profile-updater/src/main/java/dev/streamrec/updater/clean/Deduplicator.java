package dev.streamrec.updater.clean;

import dev.streamrec.schemas.UserProfile;
import dev.streamrec.updater.model.InitialFactors;
import java.time.Duration;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Decides whether an event's (user, eventId) was already seen within the de-duplication window
 * W, measured in record time (the Kafka timestamp of the event's record, never more than the
 * allowed skew ahead of the wall clock: {@link ValidateProcessor} sees to it): a producer retry repeats
 * an event id seconds later and must not count twice, while the same id long after the window is
 * new data. Two records are duplicates when their times differ by at most W, in either order.
 *
 * <p>Where the memory lives. The profile step reads and writes the user's profile for every event
 * anyway, so the events of the last windows ride in it ({@link RecentEvents}: record time and a
 * 64-bit fingerprint of the event id, at most {@link #IN_PROFILE_MAX_EVENTS}): checking and
 * remembering an event costs no store access and no changelog record of its own. It replaced a
 * put and a changelog record in {@code dedupe-store} per event (a build without de-duplication was
 * 12-23 % cheaper per event; the put, its changelog record and RocksDB's work on the stored keys
 * were that cost, not the lookups). A user with more events in the window than the profile holds
 * has the rest filed in {@code dedupe-store}, as every event used to be, and the profile notes
 * the latest time filed there, so the store is read only for events that could match one of them.
 * Fingerprints are {@link InitialFactors#stableHash 64-bit}: two of a user's event ids within a
 * window collide with probability about {@code n / 2^64}.
 *
 * <p>The memory forgets events more than 2 W older than the user's newest one, so an event that
 * arrives up to W behind the user's newest is checked against everything within its window (the
 * store's retention gives the same up to W behind the task's stream time, which is later).
 *
 * <p>Store: {@code dedupe-store}, a RocksDB window store keyed by {@code userId + NUL + eventId}.
 * An event filed at time t is stored under the <em>bucket</em> that contains t (buckets are W
 * wide, aligned to the epoch), holding t itself. Everything within W of a new event's time lies in
 * at most three buckets (its own and the two beside it), so a check is at most three point
 * lookups instead of a range scan that opens a RocksDB iterator on every segment. A bucket holds
 * at most one filed event per key: two events in one bucket are less than W apart, so the second
 * is a duplicate and is never stored. Retention is {@link #retention(Duration) 3 W}: the oldest
 * bucket a check reads starts up to 2 W before the event, and the extra W lets an event arrive up
 * to W behind stream time and still be checked. Segments older than that are dropped by RocksDB
 * segment expiry, not by a scan.
 */
public final class Deduplicator {
    /**
     * The most events of one user the profile remembers. A judgement: 16 bytes each, so at most
     * 512 bytes more per profile written (the changelog record it saves is ~100 bytes, a user with
     * more events than this in a window pays both); the benchmark's users have ~20 events each.
     */
    public static final int IN_PROFILE_MAX_EVENTS = 32;

    private final long windowMs;
    private final int capacity;
    private WindowStore<String, Long> filed;

    public Deduplicator(final Duration window) {
        this(window, IN_PROFILE_MAX_EVENTS);
    }

    Deduplicator(final Duration window, final int capacity) {
        this.windowMs = window.toMillis();
        this.capacity = capacity;
    }

    /** Binds the store the memory overflows to; called from the owning processor's {@code init}. */
    public void init(final WindowStore<String, Long> store) {
        this.filed = store;
    }

    /** The store key of event {@code eventId} of {@code userId}. */
    public static String key(final String userId, final String eventId) {
        return userId + '\u0000' + eventId;
    }

    /** The width of the store's buckets (its window size) for a de-duplication window. */
    public static Duration bucketWidth(final Duration window) {
        return window;
    }

    /** How long the store must keep a bucket for a de-duplication window; see the class comment. */
    public static Duration retention(final Duration window) {
        return window.multipliedBy(3);
    }

    /**
     * The de-duplication memory of a user as their stored profile has it (null: no profile yet);
     * a profile from before the memory existed has all its events up to {@code streamTimeMs} in
     * the store.
     */
    public RecentEvents memoryOf(final UserProfile profile, final long streamTimeMs) {
        if (profile == null) {
            return RecentEvents.empty(capacity);
        }
        return profile.getRecentEvents() == null ? RecentEvents.allFiledUpTo(capacity, streamTimeMs)
                : RecentEvents.unpack(profile.getRecentEvents(), capacity);
    }

    /**
     * Checks one event against the user's memory and, if it is new, remembers it there (or, when
     * the memory is full, in the store). Returns whether the event is new.
     */
    public boolean admit(final RecentEvents memory, final String userId, final String eventId, final long timeMs) {
        final long fingerprint = InitialFactors.stableHash(eventId);
        if (memory.contains(fingerprint, timeMs, windowMs)) {
            return false; // a retry of an event already counted
        }
        final String key = key(userId, eventId);
        if (memory.mayHaveFiledWithin(timeMs, windowMs)) {
            final long ownBucket = bucketStart(timeMs);
            // The event's own bucket first: a retry seconds later almost always lands there.
            if (filedWithinWindow(key, ownBucket, timeMs)
                    || filedWithinWindow(key, ownBucket - windowMs, timeMs)
                    || filedWithinWindow(key, ownBucket + windowMs, timeMs)) {
                return false;
            }
        }
        final long horizon = Math.max(memory.newest(), timeMs) - 2 * windowMs;
        if (!memory.keep(fingerprint, timeMs, horizon)) {
            filed.put(key, timeMs, bucketStart(timeMs));
        }
        return true;
    }

    private long bucketStart(final long time) {
        return Math.floorDiv(time, windowMs) * windowMs;
    }

    private boolean filedWithinWindow(final String key, final long bucketStart, final long time) {
        if (bucketStart < 0) {
            return false; // record timestamps are never negative, so no event was stored there
        }
        final Long keptAt = filed.fetch(key, bucketStart);
        return keptAt != null && Math.abs(time - keptAt) <= windowMs;
    }
}
