package dev.streamrec.updater.clean;

import dev.streamrec.schemas.Interaction;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Drops an event whose (user, eventId) was already seen within the de-duplication window W,
 * measured in record time (the Kafka timestamp of the event's record): a producer retry repeats an
 * event id seconds later and must not count twice, while the same id long after the window is new
 * data. Two records are duplicates when their times differ by at most W, in either order.
 *
 * <p>Store: {@code dedupe-store}, a RocksDB window store keyed by {@code userId + NUL + eventId}.
 * An event kept at time t is stored under the <em>bucket</em> that contains t (buckets are W
 * wide, aligned to the epoch), holding t itself. Everything within W of a new event's time lies in
 * at most three buckets (its own and the two beside it), so a check is at most three point
 * lookups instead of a range scan that opens a RocksDB iterator on every segment (that scan was a
 * tenth of the stream threads' CPU in the end-to-end profile). Most lookups miss. The store's
 * memtables carry a Bloom filter (see {@code BoundedMemoryRocksDbConfig}) so that a miss skips
 * the memtable's skip list (without it the point lookups measured no faster); it still consults
 * the segment's SST files, and the three lookups remain the largest RocksDB read per event.
 * A bucket holds at most one kept event per key: two events in one bucket are less than W apart,
 * so the second is a duplicate and is never stored.
 *
 * <p>Retention is {@link #retention(Duration) 3 W}: the oldest bucket a check reads starts up to
 * 2 W before the event, and the extra W lets an event arrive up to W behind stream time and
 * still be checked against everything within its window. Segments older than that are dropped by
 * RocksDB segment expiry, not by a scan.
 */
public final class DedupeProcessor implements FixedKeyProcessor<String, Interaction, Interaction> {
    private final String storeName;
    private final long windowMs;
    private FixedKeyProcessorContext<String, Interaction> context;
    private WindowStore<String, Long> seen;

    public DedupeProcessor(final String storeName, final Duration window) {
        this.storeName = storeName;
        this.windowMs = window.toMillis();
    }

    /** The store key of one event of one user. */
    public static String key(final Interaction interaction) {
        return key(interaction.getUserId(), interaction.getEventId());
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

    @Override
    public void init(final FixedKeyProcessorContext<String, Interaction> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
    }

    @Override
    public void process(final FixedKeyRecord<String, Interaction> record) {
        final String key = key(record.value());
        final long time = record.timestamp();
        final long ownBucket = bucketStart(time);
        // The event's own bucket first: a retry seconds later almost always lands there.
        if (seenWithinWindow(key, ownBucket, time)
                || seenWithinWindow(key, ownBucket - windowMs, time)
                || seenWithinWindow(key, ownBucket + windowMs, time)) {
            return; // a retry of an event already counted
        }
        seen.put(key, time, ownBucket);
        context.forward(record);
    }

    private long bucketStart(final long time) {
        return Math.floorDiv(time, windowMs) * windowMs;
    }

    private boolean seenWithinWindow(final String key, final long bucketStart, final long time) {
        if (bucketStart < 0) {
            return false; // record timestamps are never negative, so no event was stored there
        }
        final Long keptAt = seen.fetch(key, bucketStart);
        return keptAt != null && Math.abs(time - keptAt) <= windowMs;
    }
}
