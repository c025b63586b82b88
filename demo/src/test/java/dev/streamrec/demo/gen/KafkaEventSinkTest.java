package dev.streamrec.demo.gen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.topology.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KafkaEventSinkTest {
    private static final Topics TOPICS = new Topics(UpdaterConfig.of(Map.of(
            "schema.registry.url", "mock://kafka-event-sink-test")));

    /** A producer that answers only when the test says so, as a broker does when it gets round to it. */
    private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(),
            new ByteArraySerializer());

    @Test
    void countsAcknowledgedEventsFailedSendsAndWhatIsStillInFlight() {
        final KafkaEventSink sink = new KafkaEventSink(producer, TOPICS, Duration.ofSeconds(5));
        sink.item(item());
        sink.click(click("e1"));
        sink.click(click("e2"));
        assertThat(sink.counts()).isEqualTo(new SendCounts(0, 0, 3, Optional.empty()));

        producer.completeNext();
        producer.completeNext();
        producer.errorNext(new TimeoutException("Expiring 1 record(s) for events.clicks-0"));

        // The catalog item is a send, not an event: acknowledged, but not counted in.
        assertThat(sink.counts()).isEqualTo(new SendCounts(1, 1, 0, Optional.of(
                "org.apache.kafka.common.errors.TimeoutException: Expiring 1 record(s) for events.clicks-0")));
    }

    @Test
    void flushReturnsOnceEverySendIsAnswered() throws Exception {
        final KafkaEventSink sink = new KafkaEventSink(producer, TOPICS, Duration.ofSeconds(20));
        sink.click(click("e1"));
        sink.click(click("e2"));

        final CompletableFuture<Void> flushed = CompletableFuture.runAsync(sink::flush);
        producer.completeNext();
        assertThat(flushed).as("one answer of two").isNotDone();
        producer.errorNext(new TimeoutException("expired"));

        flushed.get(10, TimeUnit.SECONDS);
        assertThat(sink.counts().unanswered()).isZero();
    }

    @Test
    void flushGivesUpAfterItsBoundAndTheUnansweredSendsAreCounted() {
        final KafkaEventSink sink = new KafkaEventSink(producer, TOPICS, Duration.ofMillis(200));
        sink.click(click("e1"));
        sink.click(click("e2"));

        final long start = System.nanoTime();
        sink.flush();

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(sink.counts()).isEqualTo(new SendCounts(0, 0, 2, Optional.empty()));
    }

    private static ClickEvent click(final String eventId) {
        return ClickEvent.newBuilder().setEventId(eventId).setUserId("u1").setItemId("i1")
                .setEventTime(Instant.ofEpochMilli(1_800_000_000_000L)).build();
    }

    private static Item item() {
        return Item.newBuilder().setItemId("i1").setUpdatedAt(Instant.ofEpochMilli(1_800_000_000_000L)).build();
    }
}
