package dev.streamrec.demo.gen;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.PurchaseEvent;
import dev.streamrec.schemas.RatingEvent;
import dev.streamrec.updater.topology.TopicSpec;
import dev.streamrec.updater.topology.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends the generator's records to the input topics: events keyed by user id to
 * {@code events.clicks|purchases|ratings}, items keyed by item id to {@code catalog.items}, values
 * in the topics' own Avro serdes ({@link Topics}), so the demo writes exactly what a production
 * producer would. Counts what the broker acknowledged.
 */
public final class KafkaEventSink implements EventSink {
    private final KafkaProducer<String, byte[]> producer;
    private final Topics topics;
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> lastError = new AtomicReference<>();

    public KafkaEventSink(final String bootstrapServers, final Topics topics) {
        this.topics = topics;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, "streamrec-demo-generator"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void item(final Item item) {
        send(topics.catalog, item.getItemId(), item, false);
    }

    @Override
    public void click(final ClickEvent event) {
        send(topics.clicks, event.getUserId(), event, true);
    }

    @Override
    public void purchase(final PurchaseEvent event) {
        send(topics.purchases, event.getUserId(), event, true);
    }

    @Override
    public void rating(final RatingEvent event) {
        send(topics.ratings, event.getUserId(), event, true);
    }

    /** Events (not catalog items) the broker has acknowledged. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Sends that failed; {@link #lastError()} says why. */
    public long failed() {
        return failed.get();
    }

    public Exception lastError() {
        return lastError.get();
    }

    @Override
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private <V> void send(final TopicSpec<String, V> topic, final String key, final V value, final boolean event) {
        final byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        producer.send(new ProducerRecord<>(topic.name(), key, bytes), (metadata, exception) -> {
            if (exception != null) {
                failed.incrementAndGet();
                lastError.set(exception);
            } else if (event) {
                acknowledged.incrementAndGet();
            }
        });
    }
}
