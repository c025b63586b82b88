package dev.streamrec.updater.errors;

import dev.streamrec.serde.SchemaRegistryException;
import dev.streamrec.updater.clean.InvalidEventException;
import dev.streamrec.updater.clean.RejectReason;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a record that a processor rejected into a dead letter and lets the application continue
 * (KIP-1033 processing-exception handler, KIP-1034 dead-letter records).
 *
 * <p>An {@link InvalidEventException} is an expected rejection and is logged at debug level; any
 * other exception is a bug in a processor and is logged at error level with its stack trace, but
 * the record is still kept, with reason {@link RejectReason#PROCESSING_ERROR}, so nothing is lost.
 * A global store's record is logged the same way and skipped: Kafka Streams cannot dead-letter it.
 *
 * <p>A failure of the schema registry (found anywhere in the cause chain: Kafka Streams wraps the
 * serializer's exception) is not the record's fault and stops processing instead, as in
 * {@link DeadLetterDeserializationHandler}: a registry refusing a subject, or down, would
 * otherwise turn every event into a dead letter while nothing is published.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private String deadLetterTopic;
    private int maxLetterBytes;
    private Set<String> globalTopics;

    @Override
    public void configure(final Map<String, ?> configs) {
        deadLetterTopic = DeadLetters.topic(configs);
        maxLetterBytes = DeadLetters.maxLetterBytes(configs);
        globalTopics = DeadLetters.globalTopics(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final Record<?, ?> record, final Exception exception) {
        final SchemaRegistryException registryError = SchemaRegistryException.in(exception);
        if (registryError != null) {
            // Writing an output, repartition or changelog record needed the registry, which
            // refused or did not answer: not this record's fault, and every record after it would
            // fail the same way, each dead-lettered, while nothing is published.
            LOG.error("Schema registry failed while writing for record {}-{}@{} (subject {}); stopping rather than"
                    + " dead-lettering", context.topic(), context.partition(), context.offset(),
                    registryError.subject(), exception);
            return Response.fail();
        }
        final RejectReason reason;
        if (exception instanceof InvalidEventException invalid) {
            reason = invalid.reason();
            LOG.debug("Rejected record {}-{}@{}: {} {}", context.topic(), context.partition(), context.offset(),
                    reason, exception.getMessage());
        } else {
            reason = RejectReason.PROCESSING_ERROR;
            LOG.error("Processor {} failed on record {}-{}@{}; sending it to {}", context.processorNodeId(),
                    context.topic(), context.partition(), context.offset(), deadLetterTopic, exception);
        }
        if (globalTopics.contains(context.topic())) {
            // Kafka Streams drops a global processor's dead letters (it has no producer there).
            return Response.resume();
        }
        return Response.resume(DeadLetters.letter(deadLetterTopic, maxLetterBytes, context, context.sourceRawKey(),
                context.sourceRawValue(), reason, exception));
    }
}
