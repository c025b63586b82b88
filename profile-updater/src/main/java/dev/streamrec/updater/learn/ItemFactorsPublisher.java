package dev.streamrec.updater.learn;

import dev.streamrec.schemas.ItemFactors;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Publishes the item stage's changes to {@code model.item-factors}: at every commit by default,
 * or at most one record per item per {@code item.factors.publish.interval.ms} (wall clock), so
 * that an item changed by several commits within an interval is published once, at its latest
 * version.
 *
 * <p>Why an interval: below saturation the record cache flushes most touched items at every
 * commit (100 ms), 2.0-2.7 item-factors records per input event at 2,500-5,000 events/s, and each
 * one costs an Avro encoding here and, on every instance, a decode, a RocksDB put and a model
 * update on the global thread. Measured at 1 s (bench, one instance): records per paced event
 * 2.73 → 1.91 at 2,500 events/s and 2.01 → 1.27 at 5,000, the global thread 29 → 17 µs per event
 * at 5,000; the JVM's cores at 1,000 and 2,500 events/s 0.83 / 1.13 against 0.78 / 1.14 in the
 * full reports (short runs suggested 0.1 cores less at 2,500): no saving outside the noise. The
 * price is staler item vectors for the user stage: on the MovieLens replay through Kafka recall@20
 * fell 0.005-0.009 (1 partition; 0.2940-0.2981 in three runs against 0.3028 in two). Hence off
 * by default; with many instances every one of them pays for every record, which is where
 * merging them pays.
 *
 * <p>Every applied step still reaches the item stage's changelog at the next commit, so nothing
 * the model learned is lost on a crash. Nothing stays unpublished either: changes waiting for the
 * next interval live only in this processor's memory, and are gone if the task closes
 * (rebalance) or the instance crashes before they are sent. So when a task starts, this processor
 * compares every item of its partition in {@code item-factors-store} with the version this
 * instance's global copy holds ({@link ItemModel#versionOf}) and queues those the topic is behind
 * on; after a crash the store is restored from its changelog first, so that comparison sees
 * every committed step.
 */
public final class ItemFactorsPublisher implements Processor<String, ItemState, String, ItemFactors> {
    /** With no interval, how soon after a task starts the items it found behind are sent. */
    static final Duration START_UP_DELAY = Duration.ofMillis(100);

    private final String storeName;
    private final Duration interval;
    private final ToLongFunction<String> publishedVersion;
    private final Map<String, Record<String, ItemState>> waiting = new HashMap<>();
    private ProcessorContext<String, ItemFactors> context;
    /** At interval 0, the one-off punctuation that sends what the start found. */
    private Cancellable startUp;

    /**
     * @param storeName        the item stage's store ({@link ItemState} by item id)
     * @param interval         how long a change may wait to be merged with later ones; zero publishes every change
     * @param publishedVersion the version of an item this instance has read back from the topic, -1 if none
     */
    public ItemFactorsPublisher(final String storeName, final Duration interval, final ToLongFunction<String> publishedVersion) {
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative: " + interval);
        }
        this.storeName = storeName;
        this.interval = interval;
        this.publishedVersion = publishedVersion;
    }

    @Override
    public void init(final ProcessorContext<String, ItemFactors> context) {
        this.context = context;
        queueItemsTheTopicIsBehindOn(context.getStateStore(storeName));
        if (!interval.isZero()) {
            context.schedule(interval, PunctuationType.WALL_CLOCK_TIME, now -> publishWaiting());
        } else if (!waiting.isEmpty()) {
            // Records may not be forwarded from init(); send what the start found at the first
            // punctuation instead, once.
            startUp = context.schedule(START_UP_DELAY, PunctuationType.WALL_CLOCK_TIME, now -> {
                publishWaiting();
                startUp.cancel();
            });
        }
    }

    private void queueItemsTheTopicIsBehindOn(final TimestampedKeyValueStore<String, ItemState> store) {
        try (KeyValueIterator<String, ValueAndTimestamp<ItemState>> all = store.all()) {
            all.forEachRemaining(entry -> {
                final ItemState state = entry.value.value();
                // An item with no factors yet is not in the model and changes nothing there.
                if (!state.isEmpty() && state.version() > publishedVersion.applyAsLong(entry.key)) {
                    waiting.put(entry.key, new Record<>(entry.key, state, entry.value.timestamp()));
                }
            });
        }
    }

    @Override
    public void process(final Record<String, ItemState> record) {
        if (record.key() == null) {
            return;
        }
        // No news for the topic: a state with nothing learned (an item whose steps so far were not
        // applied; after a reset the topic may hold it at version V, and an empty record at version
        // 0 over it would be stored by every service and, once compacted, restart the item stage at
        // version 0), or one at a version the topic has already. The lookup is one map read per
        // record published.
        final ItemState state = record.value();
        if (state != null && (state.isEmpty() || state.version() <= publishedVersion.applyAsLong(record.key()))) {
            return;
        }
        if (interval.isZero()) {
            if (!waiting.isEmpty()) {
                waiting.remove(record.key()); // a start-up record this change supersedes
            }
            forward(record);
        } else {
            waiting.put(record.key(), record);
        }
    }

    private void publishWaiting() {
        waiting.values().forEach(this::forward);
        waiting.clear();
    }

    private void forward(final Record<String, ItemState> change) {
        final ItemState state = change.value();
        context.forward(change.withValue(state == null ? null : state.toRecord(change.key())));
    }

    /** Changes queued for the next interval (tests). */
    int waitingCount() {
        return waiting.size();
    }
}
