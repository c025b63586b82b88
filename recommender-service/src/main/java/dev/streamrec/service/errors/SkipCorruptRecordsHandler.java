package dev.streamrec.service.errors;

import dev.streamrec.serde.SchemaRegistryException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's deserialization exception handler: skips a record that can never be decoded, and
 * stops the thread when the schema registry could not answer.
 *
 * <p>The read side has no dead-letter topic of its own (the updater dead-letters what it cannot
 * read), so a corrupt payload or an unknown schema id (the registry answered 404 with error code
 * 40403, schema not found) is logged and skipped: retrying it would fail the same way forever. Any
 * other registry failure (unreachable, status -1; a 5xx after the serde's retries; a 404 without
 * that code, as from a wrong base path; any other refusal) is not the record's fault, and
 * skipping it would lose the record for good: the service reads compacted topics, so a user's
 * list or profile skipped during a registry blip would stay missing until that user next changed.
 * So that failure stops the thread: a stream thread is replaced (the service's uncaught exception
 * handler) and resumes from the last committed offset; the global thread puts Kafka Streams in
 * ERROR, which {@code /health/live} reports so the process is restarted. The same rule as the
 * updater's {@code DeadLetterDeserializationHandler}.
 */
public final class SkipCorruptRecordsHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SkipCorruptRecordsHandler.class);

    @Override
    public void configure(final Map<String, ?> configs) {
        // nothing to configure
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
                                final Exception exception) {
        final SchemaRegistryException registryError = SchemaRegistryException.in(exception);
        if (registryError != null && !registryError.isUnknownSchema()) {
            LOG.error("Schema registry failed while decoding {}-{}@{}; stopping the thread to retry from the "
                    + "committed offset rather than skipping the record", record.topic(), record.partition(),
                    record.offset(), exception);
            return Response.fail();
        }
        LOG.warn("Skipping undecodable record {}-{}@{} ({}): {}", record.topic(), record.partition(), record.offset(),
                registryError != null ? "unknown schema" : "corrupt payload", exception.toString());
        return Response.resume();
    }
}
