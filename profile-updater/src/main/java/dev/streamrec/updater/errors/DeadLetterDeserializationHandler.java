package dev.streamrec.updater.errors;

import dev.streamrec.serde.SchemaRegistryException;
import dev.streamrec.updater.clean.RejectReason;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record whose bytes cannot be decoded (corrupt payload, unknown schema id) to the
 * dead-letter topic with its original bytes and continues, instead of stopping the application on
 * one poison pill (KIP-1034 dead-letter records).
 *
 * <p>A registry that is unreachable is not the record's fault: that failure stops processing (the
 * application restarts and retries) rather than dead-lettering every record while the registry is
 * down.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private String deadLetterTopic;

    @Override
    public void configure(final Map<String, ?> configs) {
        deadLetterTopic = DeadLetters.topic(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
                                final Exception exception) {
        final SchemaRegistryException registryError = SchemaRegistryException.in(exception);
        if (registryError != null && !registryError.isUnknownSchema()) {
            LOG.error("Schema registry failed while decoding {}-{}@{}; stopping rather than dead-lettering",
                    record.topic(), record.partition(), record.offset(), exception);
            return Response.fail();
        }
        final RejectReason reason = registryError != null ? RejectReason.UNKNOWN_SCHEMA : RejectReason.CORRUPT_RECORD;
        LOG.warn("Undecodable record {}-{}@{} ({}): {}", record.topic(), record.partition(), record.offset(),
                reason, exception.toString());
        return Response.resume(DeadLetters.letter(deadLetterTopic, context, record.key(), record.value(), reason, exception));
    }
}
