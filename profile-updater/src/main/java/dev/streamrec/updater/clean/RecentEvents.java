package dev.streamrec.updater.clean;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The part of a user's de-duplication memory that rides in their profile
 * ({@code UserProfile.recentEvents}): the record time and a 64-bit fingerprint of each event kept
 * within the last windows, at most {@link #capacity()} of them, and the latest record time of an
 * event that did not fit and was filed in {@code dedupe-store} instead ({@link #spilledUpTo()}).
 *
 * <p>Packed big-endian: 8 bytes {@code spilledUpTo} ({@link Long#MIN_VALUE} when nothing was
 * filed), then 16 bytes per event: record time, fingerprint. A fixed layout, not an Avro array,
 * because every event decodes and re-encodes it whole with its profile.
 */
public final class RecentEvents {
    private static final int HEADER_BYTES = Long.BYTES;
    private static final int ENTRY_BYTES = 2 * Long.BYTES;

    private final int capacity;
    private final long[] times;
    private final long[] fingerprints;
    private int size;
    private long spilledUpTo;

    private RecentEvents(final int capacity, final int slots, final long spilledUpTo) {
        this.capacity = capacity;
        this.times = new long[slots];
        this.fingerprints = new long[slots];
        this.spilledUpTo = spilledUpTo;
    }

    /** A user with no events yet. */
    public static RecentEvents empty(final int capacity) {
        return new RecentEvents(capacity, capacity, Long.MIN_VALUE);
    }

    /**
     * A user whose profile predates this memory: every event up to {@code streamTimeMs} may be in
     * {@code dedupe-store}, where the whole memory used to be, so it is consulted for them.
     */
    public static RecentEvents allFiledUpTo(final int capacity, final long streamTimeMs) {
        return new RecentEvents(capacity, capacity, streamTimeMs);
    }

    /**
     * Decodes a packed memory. Entries beyond {@code capacity} (a memory written with a larger
     * bound) are kept in order until pruning makes room; none is dropped while it can still match.
     */
    public static RecentEvents unpack(final ByteBuffer packed, final int capacity) {
        final ByteBuffer in = packed.duplicate();
        if (in.remaining() < HEADER_BYTES || (in.remaining() - HEADER_BYTES) % ENTRY_BYTES != 0) {
            throw new IllegalArgumentException("recentEvents of " + in.remaining() + " bytes is not 8 + 16 n");
        }
        final int stored = (in.remaining() - HEADER_BYTES) / ENTRY_BYTES;
        final RecentEvents events = new RecentEvents(capacity, Math.max(capacity, stored), in.getLong());
        for (int i = 0; i < stored; i++) {
            events.times[i] = in.getLong();
            events.fingerprints[i] = in.getLong();
        }
        events.size = stored;
        return events;
    }

    public ByteBuffer pack() {
        final ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + size * ENTRY_BYTES);
        out.putLong(spilledUpTo);
        for (int i = 0; i < size; i++) {
            out.putLong(times[i]).putLong(fingerprints[i]);
        }
        return out.flip();
    }

    /** Whether an event with this fingerprint was kept within {@code windowMs} of {@code timeMs}. */
    public boolean contains(final long fingerprint, final long timeMs, final long windowMs) {
        for (int i = 0; i < size; i++) {
            if (fingerprints[i] == fingerprint && Math.abs(timeMs - times[i]) <= windowMs) {
                return true;
            }
        }
        return false;
    }

    /** Whether an event filed in the store could be within {@code windowMs} of {@code timeMs}. */
    public boolean mayHaveFiledWithin(final long timeMs, final long windowMs) {
        return spilledUpTo != Long.MIN_VALUE && timeMs - windowMs <= spilledUpTo;
    }

    /**
     * Forgets every event older than {@code horizonMs}, then keeps this one if there is room.
     * Returns false when there is none: the caller files it in the store, and the memory notes
     * that the store holds events up to its time.
     */
    public boolean keep(final long fingerprint, final long timeMs, final long horizonMs) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (times[i] >= horizonMs) {
                times[kept] = times[i];
                fingerprints[kept] = fingerprints[i];
                kept++;
            }
        }
        size = kept;
        if (size >= capacity) {
            spilledUpTo = Math.max(spilledUpTo, timeMs);
            return false;
        }
        times[size] = timeMs;
        fingerprints[size] = fingerprint;
        size++;
        return true;
    }

    /** The latest time of the events kept, or {@link Long#MIN_VALUE} without one. */
    public long newest() {
        long newest = Long.MIN_VALUE;
        for (int i = 0; i < size; i++) {
            newest = Math.max(newest, times[i]);
        }
        return newest;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    public long spilledUpTo() {
        return spilledUpTo;
    }

    @Override
    public String toString() {
        return "RecentEvents" + Arrays.toString(Arrays.copyOf(times, size)) + " filed up to " + spilledUpTo;
    }
}
