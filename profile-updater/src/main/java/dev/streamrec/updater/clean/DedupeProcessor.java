package dev.streamrec.updater.clean;

import dev.streamrec.schemas.Interaction;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Drops an event whose (user, eventId) was already seen within the de-duplication window, measured
 * in record time (the Kafka timestamp of the event's record): a producer retry repeats an event id
 * seconds later and must not count twice, while the same id long after the window is new data.
 *
 * <p>Store: {@code dedupe-store}, a RocksDB window store keyed by {@code userId + NUL + eventId}
 * holding the first-seen record time. Its retention equals the window, so its size is bounded by
 * the number of distinct events in one window; segments older than that are dropped by RocksDB
 * segment expiry, not by a scan.
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
        return interaction.getUserId() + '\u0000' + interaction.getEventId();
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
        try (WindowStoreIterator<Long> earlier = seen.fetch(key, Math.max(0, time - windowMs), time + windowMs)) {
            if (earlier.hasNext()) {
                return; // a retry of an event already counted
            }
        }
        seen.put(key, time, time);
        context.forward(record);
    }
}
