package dev.streamrec.service.topology;

import dev.streamrec.service.items.ItemVectors;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Marks the {@link ItemVectors} loaded the first time Kafka Streams reaches {@code RUNNING}, which
 * it does only after the global stream thread has restored every global store (Kafka Streams 4.4:
 * the client goes to {@code RUNNING} only while its global thread is {@code RUNNING}, and that
 * thread starts running once restoration is done).
 *
 * <p>The item-factors processor cannot tell by itself: a store added with {@code addGlobalStore}
 * is restored by passing the topic's records through a processor, and Kafka Streams calls that
 * processor's {@code init} before it polls the first record, so "loaded" from {@code init} would
 * let {@code /items/{id}/similar} answer 404 for items not restored yet. Until this listener fires
 * the answer is 503 with {@code Retry-After}. Once loaded, the index stays loaded: later
 * rebalances do not empty it.
 */
public final class ItemVectorsLoadedListener implements KafkaStreams.StateListener {
    private final ItemVectors items;

    public ItemVectorsLoadedListener(final ItemVectors items) {
        this.items = items;
    }

    @Override
    public void onChange(final KafkaStreams.State newState, final KafkaStreams.State oldState) {
        if (newState == KafkaStreams.State.RUNNING) {
            items.markLoaded();
        }
    }
}
