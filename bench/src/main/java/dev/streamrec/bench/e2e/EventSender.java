package dev.streamrec.bench.e2e;

import dev.streamrec.schemas.Item;
import dev.streamrec.updater.topology.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Produces events to the application's input topics the way a real client would: Avro in the
 * registry wire format, keyed by user id, idempotent with acks=all. Values are serialised here,
 * on the caller's thread, so the byte sizes are known for the ceiling run
 * ({@link #PRODUCER_PROPS} is what ProducerPerformance gets too).
 */
final class EventSender implements AutoCloseable {
    /** The producer settings of the input producer and of the ceiling measurement alike. */
    static final Map<String, String> PRODUCER_PROPS = Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.LINGER_MS_CONFIG, "5",
            ProducerConfig.BATCH_SIZE_CONFIG, "65536",
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");

    private final KafkaProducer<byte[], byte[]> producer;
    private final Topics topics;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long records;
    private long bytes;

    EventSender(final String bootstrap, final Topics topics) {
        final Map<String, Object> props = new java.util.HashMap<>(PRODUCER_PROPS);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.topics = topics;
    }

    void sendCatalog(final List<Item> items) {
        final Serializer<Item> serializer = topics.catalog.valueSerde().serializer();
        for (final Item item : items) {
            send(topics.catalog.name(), item.getItemId(), serializer.serialize(topics.catalog.name(), item));
        }
        producer.flush();
    }

    void send(final InputEvent event) {
        final String topic = switch (event.kind()) {
            case CLICK -> topics.clicks.name();
            case PURCHASE -> topics.purchases.name();
            case RATING -> topics.ratings.name();
        };
        send(topic, event.userId(), serialize(topic, event));
    }

    @SuppressWarnings("unchecked")
    private byte[] serialize(final String topic, final InputEvent event) {
        final Serializer<? extends SpecificRecord> serializer = switch (event.kind()) {
            case CLICK -> topics.clicks.valueSerde().serializer();
            case PURCHASE -> topics.purchases.valueSerde().serializer();
            case RATING -> topics.ratings.valueSerde().serializer();
        };
        return ((Serializer<SpecificRecord>) serializer).serialize(topic, event.value());
    }

    private void send(final String topic, final String key, final byte[] value) {
        final Exception failed = failure.get();
        if (failed != null) {
            throw new IllegalStateException("Sending to " + topic + " failed", failed);
        }
        final byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        records++;
        bytes += keyBytes.length + value.length;
        producer.send(new ProducerRecord<>(topic, keyBytes, value), (metadata, exception) -> {
            if (exception != null) {
                failure.compareAndSet(null, exception);
            }
        });
    }

    /** Mean key + value size of what was sent so far, in bytes. */
    double meanRecordBytes() {
        return records == 0 ? 0 : (double) bytes / records;
    }

    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
