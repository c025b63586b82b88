package dev.streamrec.demo.gen;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.PurchaseEvent;
import dev.streamrec.schemas.RatingEvent;
import dev.streamrec.updater.topology.TopicSpec;
import dev.streamrec.updater.topology.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends the generator's records to the input topics: events keyed by user id to
 * {@code events.clicks|purchases|ratings}, items keyed by item id to {@code catalog.items}, values
 * in the topics' own Avro serdes ({@link Topics}), so the demo writes exactly what a production
 * producer would. Counts what the broker acknowledged, what failed and what is still in flight
 * ({@link #counts()}), for the status line.
 */
public final class KafkaEventSink implements EventSink {
    /**
     * How long {@link #flush()} waits for the broker's answers: milliseconds when the broker is
     * up, and a broker that is gone must not hold up Ctrl-C for long.
     */
    static final Duration FLUSH_WITHIN = Duration.ofSeconds(5);

    private final Producer<String, byte[]> producer;
    private final Topics topics;
    private final Duration flushWithin;
    /** Every record handed to the producer, and every one it has answered (acknowledged or failed). */
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> lastError = new AtomicReference<>();
    /** Notified on every answer, for {@link #flush()}. */
    private final Object answers = new Object();

    public KafkaEventSink(final String bootstrapServers, final Topics topics) {
        this(new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, "streamrec-demo-generator"),
                new StringSerializer(), new ByteArraySerializer()), topics, FLUSH_WITHIN);
    }

    /** @param flushWithin how long {@link #flush()} waits at most ({@link #FLUSH_WITHIN} in the demo) */
    KafkaEventSink(final Producer<String, byte[]> producer, final Topics topics, final Duration flushWithin) {
        this.producer = producer;
        this.topics = topics;
        this.flushWithin = flushWithin;
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

    /** What the broker has acknowledged, what failed and why, and what is still in flight. */
    public SendCounts counts() {
        final Exception error = lastError.get();
        final long acknowledgedEvents = acknowledged.get();
        final long failedSends = failed.get();
        // Answered before sent: every answered record was sent first, so the difference is never negative.
        final long answeredSends = answered.get();
        return new SendCounts(acknowledgedEvents, failedSends, sent.get() - answeredSends,
                Optional.ofNullable(error).map(Exception::toString));
    }

    /**
     * Waits until the broker has answered (acknowledged or failed) every record handed over so
     * far, or the flush bound ({@link #FLUSH_WITHIN}) has passed; {@link #counts()} then says how
     * many are still unanswered. The producer sends on its own within {@code linger.ms}; its own
     * {@code flush()} has no bound but {@code delivery.timeout.ms}, two minutes.
     */
    @Override
    public boolean flush() {
        final long handedOver = sent.get();
        final long deadline = System.nanoTime() + flushWithin.toNanos();
        synchronized (answers) {
            while (answered.get() < handedOver) {
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(answers, left);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }

    private <V> void send(final TopicSpec<String, V> topic, final String key, final V value, final boolean event) {
        final byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        sent.incrementAndGet();
        try {
            producer.send(new ProducerRecord<>(topic.name(), key, bytes), (metadata, exception) -> {
                if (exception != null) {
                    countFailure(exception);
                } else {
                    if (event) {
                        acknowledged.incrementAndGet();
                    }
                    answer();
                }
            });
        } catch (final RuntimeException e) {
            // Thrown instead of reported to the callback (a closed producer, an interrupt): the
            // record is answered, as failed, or it would count as in flight for ever.
            countFailure(e);
            throw e;
        }
    }

    private void countFailure(final Exception e) {
        failed.incrementAndGet();
        lastError.set(e);
        answer();
    }

    private void answer() {
        answered.incrementAndGet();
        synchronized (answers) {
            answers.notifyAll();
        }
    }
}
