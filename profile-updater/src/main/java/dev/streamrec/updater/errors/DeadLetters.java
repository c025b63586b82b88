package dev.streamrec.updater.errors;

import dev.streamrec.updater.clean.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds dead-letter records: the original key and value bytes, unchanged, and the original
 * timestamp, plus headers saying where the record came from and why it was rejected.
 *
 * <p>Header names are KIP-1034's ({@code __streams.errors.*}), so tools written for Kafka Streams'
 * built-in dead-letter queue read ours, plus {@link #REASON} with a {@link RejectReason} code. All
 * header values are UTF-8 text (partition and offset in decimal).
 */
public final class DeadLetters {
    public static final String REASON = "streamrec.dlq.reason";
    public static final String EXCEPTION = "__streams.errors.exception";
    public static final String MESSAGE = "__streams.errors.message";
    public static final String TOPIC = "__streams.errors.topic";
    public static final String PARTITION = "__streams.errors.partition";
    public static final String OFFSET = "__streams.errors.offset";
    /**
     * The size in bytes of the original value, on a letter written without it because letter and
     * value together would exceed the producer's {@code max.request.size}.
     */
    public static final String DROPPED_VALUE_SIZE = "streamrec.dlq.dropped.value.size";
    /**
     * Streams configuration key (the updater sets it): the comma-separated topics read by global
     * stores. Kafka Streams cannot send a dead letter for their records: the deserialization
     * path fails the global thread on one (ClassCastException), the processing path drops it.
     */
    public static final String GLOBAL_TOPICS_CONFIG = "streamrec.dlq.global.topics";

    private static final int DEFAULT_MAX_REQUEST_SIZE = 1024 * 1024;
    private static final int RECORD_OVERHEAD_BYTES = 512;
    private static final int HEADER_OVERHEAD_BYTES = 10;

    private DeadLetters() {
    }

    /** The dead-letter topic from the Streams configuration ({@code errors.dead.letter.queue.topic.name}). */
    public static String topic(final Map<String, ?> configs) {
        final Object name = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (name == null || name.toString().isBlank()) {
            throw new org.apache.kafka.common.config.ConfigException(
                    StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, name, "is required by the dead-letter handlers");
        }
        return name.toString();
    }

    /** The topics of {@link #GLOBAL_TOPICS_CONFIG}; none when it is not set. */
    public static Set<String> globalTopics(final Map<String, ?> configs) {
        final Object names = configs.get(GLOBAL_TOPICS_CONFIG);
        if (names == null) {
            return Set.of();
        }
        return Arrays.stream(names.toString().split(",")).map(String::trim).filter(name -> !name.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The most bytes a letter may take: the {@code max.request.size} of Kafka Streams' producer
     * ({@code producer.max.request.size}, else {@code max.request.size}, else Kafka's default). A
     * larger one fails in the producer (RecordTooLargeException), before any broker sees it.
     */
    public static int maxLetterBytes(final Map<String, ?> configs) {
        Object configured = configs.get(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        if (configured == null) {
            configured = configs.get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        }
        return configured == null ? DEFAULT_MAX_REQUEST_SIZE : Integer.parseInt(configured.toString().trim());
    }

    /**
     * One dead letter for the record described by {@code context}. Its value is left out, and its
     * size given in {@link #DROPPED_VALUE_SIZE}, when the letter would take more than
     * {@code maxLetterBytes}: a record the broker accepted compressed can be too large for the
     * producer, which checks the uncompressed size, and a letter that cannot be written would
     * stop the application on a record it only meant to set aside.
     */
    public static List<ProducerRecord<byte[], byte[]>> letter(final String deadLetterTopic, final int maxLetterBytes,
                                                              final ErrorHandlerContext context,
                                                              final byte[] key, final byte[] value,
                                                              final RejectReason reason, final Exception cause) {
        final Headers headers = new RecordHeaders();
        context.headers().forEach(headers::add); // keep the producer's own headers
        put(headers, REASON, reason.name());
        put(headers, EXCEPTION, cause.getClass().getName());
        put(headers, MESSAGE, String.valueOf(cause.getMessage()));
        put(headers, TOPIC, context.topic());
        put(headers, PARTITION, Integer.toString(context.partition()));
        put(headers, OFFSET, Long.toString(context.offset()));
        byte[] keptValue = value;
        if (value != null && sizeUpperBound(key, value, headers) > maxLetterBytes) {
            keptValue = null;
            put(headers, DROPPED_VALUE_SIZE, Integer.toString(value.length));
        }
        // The source record's time, as Kafka's own dead-letter records have it: left to the
        // producer, a letter would carry the time of the failure, and a record replayed hours
        // late would look new. A record without a timestamp (-1) gets the producer's.
        final Long timestamp = context.timestamp() >= 0 ? context.timestamp() : null;
        return List.of(new ProducerRecord<>(deadLetterTopic, null, timestamp, key, keptValue, headers));
    }

    /**
     * At least what the producer counts for a record alone in a batch: the bytes plus generous
     * room for the batch header (61 bytes) and the varint lengths of record and headers.
     */
    private static long sizeUpperBound(final byte[] key, final byte[] value, final Headers headers) {
        long size = RECORD_OVERHEAD_BYTES + (key == null ? 0 : key.length) + value.length;
        for (final var header : headers) {
            size += HEADER_OVERHEAD_BYTES + header.key().getBytes(StandardCharsets.UTF_8).length
                    + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    private static void put(final Headers headers, final String name, final String value) {
        headers.remove(name);
        headers.add(name, value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a header as text (tests and tools). */
    public static String header(final Headers headers, final String name) {
        final var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
