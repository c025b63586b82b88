package dev.streamrec.updater.errors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.serde.SchemaRegistryException;
import dev.streamrec.updater.clean.InvalidEventException;
import dev.streamrec.updater.clean.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import dev.streamrec.updater.config.UpdaterConfig;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

class DeadLetterHandlersTest {
    private static final Map<String, Object> CONFIG = Map.of("errors.dead.letter.queue.topic.name", "events.dlq");
    private static final byte[] KEY = "u1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = {0, 0, 0, 0, 9, 1, 2, 3};

    private record Context(String topic, int partition, long offset, Headers headers, String processorNodeId,
                           TaskId taskId, long timestamp, byte[] sourceRawKey, byte[] sourceRawValue)
            implements ErrorHandlerContext {
    }

    /** The source record's timestamp, an hour before the test runs: far from any wall clock reading. */
    private static final long RECORD_TIME = System.currentTimeMillis() - 3_600_000L;

    private static Context context() {
        final Headers headers = new RecordHeaders();
        headers.add("trace-id", "abc".getBytes(StandardCharsets.UTF_8));
        return new Context("events.clicks", 3, 42L, headers, "validate-clicks", new TaskId(0, 3), RECORD_TIME, KEY, VALUE);
    }

    @Test
    void undecodableRecordBecomesADeadLetterWithOriginalBytesAndWhereItCameFrom() {
        final DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(CONFIG);
        final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("events.clicks", 3, 42L, KEY, VALUE);

        final DeserializationExceptionHandler.Response response =
                handler.handleError(context(), record, new SerializationException("bad bytes"));

        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        final ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertThat(letter.topic()).isEqualTo("events.dlq");
        assertThat(letter.key()).isEqualTo(KEY);
        assertThat(letter.value()).isEqualTo(VALUE);
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).isEqualTo("CORRUPT_RECORD");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.TOPIC)).isEqualTo("events.clicks");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.PARTITION)).isEqualTo("3");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.OFFSET)).isEqualTo("42");
        assertThat(DeadLetters.header(letter.headers(), "trace-id")).isEqualTo("abc");
    }

    @Test
    void deadLetterKeepsTheSourceRecordsTimestamp() {
        // Without one the producer stamps the letter with the wall clock: a record replayed or
        // delayed for hours would look as new as the failure, and retention would count from then.
        final DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
        handler.configure(CONFIG);

        final var response = handler.handleError(context(), new Record<>("u1", "v", RECORD_TIME),
                new InvalidEventException(RejectReason.EVENT_TOO_OLD, "too old"));

        assertThat(response.deadLetterQueueRecords().get(0).timestamp()).isEqualTo(RECORD_TIME);
    }

    @Test
    void unknownSchemaIdIsItsOwnReasonButAnUnreachableRegistryStopsProcessing() {
        final DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(CONFIG);
        final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("events.clicks", 3, 42L, KEY, VALUE);

        final var unknown = handler.handleError(context(), record,
                new SchemaRegistryException("Schema 9 not found", "id:9", 404, 40403, null));
        assertThat(DeadLetters.header(unknown.deadLetterQueueRecords().get(0).headers(), DeadLetters.REASON))
                .isEqualTo("UNKNOWN_SCHEMA");

        final var down = handler.handleError(context(), record,
                new SchemaRegistryException("unavailable", "id:9", -1, -1, null));
        assertThat(down.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
    }

    @Test
    void anUndecodableRecordOfAGlobalStoreIsSkippedWithoutADeadLetter() {
        // Kafka Streams' global thread fails on a dead letter; it cannot be replaced, and a
        // restart restores the same record again. The registry rule still holds there.
        final DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of("errors.dead.letter.queue.topic.name", "events.dlq",
                DeadLetters.GLOBAL_TOPICS_CONFIG, "catalog.items,model.item-factors"));

        for (final String globalTopic : new String[] {"catalog.items", "model.item-factors"}) {
            final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(globalTopic, 0, 7L, KEY, VALUE);
            final var corrupt = handler.handleError(context(), record, new SerializationException("bad bytes"));
            assertThat(corrupt.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
            assertThat(corrupt.deadLetterQueueRecords()).as("letters for %s", globalTopic).isEmpty();
            final var down = handler.handleError(context(), record,
                    new SchemaRegistryException("unavailable", "id:9", -1, -1, null));
            assertThat(down.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        }
    }

    @Test
    void rejectedAndFailedRecordsAreBothKeptWithTheirReason() {
        final DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
        handler.configure(CONFIG);
        final Record<String, String> record = new Record<>("u1", "v", 1L);

        final var rejected = handler.handleError(context(), record,
                new InvalidEventException(RejectReason.EVENT_TOO_OLD, "too old"));
        final var bug = handler.handleError(context(), record, new IllegalStateException("boom"));

        assertThat(rejected.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(DeadLetters.header(rejected.deadLetterQueueRecords().get(0).headers(), DeadLetters.REASON)).isEqualTo("EVENT_TOO_OLD");
        assertThat(DeadLetters.header(rejected.deadLetterQueueRecords().get(0).headers(), DeadLetters.MESSAGE)).isEqualTo("too old");
        assertThat(DeadLetters.header(bug.deadLetterQueueRecords().get(0).headers(), DeadLetters.REASON)).isEqualTo("PROCESSING_ERROR");
        assertThat(bug.deadLetterQueueRecords().get(0).value()).isEqualTo(VALUE);
    }

    /** The production handler the updater configures, configured as Kafka Streams would. */
    private static ProductionExceptionHandler updatersProductionHandler() throws ReflectiveOperationException {
        final Properties props = UpdaterConfig.of(Map.of()).streamsProperties();
        final Object configured = props.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG);
        final Class<?> type = configured instanceof Class<?> c ? c : Class.forName(configured.toString());
        final ProductionExceptionHandler handler = (ProductionExceptionHandler) type.getDeclaredConstructor().newInstance();
        final Map<String, Object> configs = new HashMap<>();
        props.forEach((key, value) -> configs.put(key.toString(), value));
        handler.configure(configs);
        return handler;
    }

    @Test
    void anUnserialisableOutputIsDeadLetteredWithItsReasonAndAFailedSendStops() throws ReflectiveOperationException {
        final ProductionExceptionHandler handler = updatersProductionHandler();
        final ProducerRecord<byte[], byte[]> output = new ProducerRecord<>("profiles.users", KEY, new byte[] {1});

        final var refused = handler.handleError(context(), output, new InvalidTopicException("no such topic"));
        final var unserialisable = handler.handleSerializationError(context(), output,
                new SerializationException("cannot encode"), ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);

        // A send error stops the application without a letter: the producer reports it after Kafka
        // Streams freed the source record's bytes, and the event is processed again after the restart.
        assertThat(refused.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(refused.deadLetterQueueRecords()).isEmpty();
        final ProducerRecord<byte[], byte[]> letter = unserialisable.deadLetterQueueRecords().get(0);
        assertThat(letter.topic()).isEqualTo("events.dlq");
        assertThat(letter.value()).isEqualTo(VALUE);
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).isEqualTo("PRODUCTION_ERROR");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.TOPIC)).isEqualTo("events.clicks");
        assertThat(handler.handleError(context(), output, new NotLeaderOrFollowerException("moving")).result())
                .isEqualTo(ProductionExceptionHandler.Result.RETRY);
    }

    @Test
    void aRegistryFailureWhileSerialisingStopsWithoutADeadLetter() throws ReflectiveOperationException {
        final ProductionExceptionHandler handler = updatersProductionHandler();
        final ProducerRecord<byte[], byte[]> output = new ProducerRecord<>("profiles.users", KEY, new byte[] {1});

        final var response = handler.handleSerializationError(context(), output,
                new SchemaRegistryException("Subject not found", "profiles.users-value", 404, 40401, null),
                ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void aValueTooLargeForTheProducerIsLeftOutOfItsLetterAndItsSizeKept() throws ReflectiveOperationException {
        final DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of("errors.dead.letter.queue.topic.name", "events.dlq", "producer.max.request.size", "4096"));
        final byte[] large = new byte[4096];

        final var response = handler.handleError(context(), new ConsumerRecord<>("events.clicks", 3, 42L, KEY, large),
                new SerializationException("bad bytes"));

        final ProducerRecord<byte[], byte[]> letter = response.deadLetterQueueRecords().get(0);
        assertThat(letter.value()).isNull();
        assertThat(letter.key()).isEqualTo(KEY);
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.DROPPED_VALUE_SIZE)).isEqualTo("4096");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).isEqualTo("CORRUPT_RECORD");

        // A letter too large all the same (a topic's max.message.bytes below max.request.size)
        // is skipped rather than stopping the partition for good.
        final var tooLarge = updatersProductionHandler().handleError(context(), letter,
                new RecordTooLargeException("too large for the topic"));
        assertThat(tooLarge.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(tooLarge.deadLetterQueueRecords()).isEmpty();
    }
}
