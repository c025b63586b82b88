package dev.streamrec.updater.errors;

import dev.streamrec.serde.SchemaRegistryException;
import dev.streamrec.updater.clean.RejectReason;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The updater's production-exception handler: what happens when a record it writes cannot be
 * serialised or sent. Kafka's default handler writes dead letters of its own, without the
 * {@code streamrec.dlq.reason} header every other letter carries; this one writes ours, with reason
 * {@link RejectReason#PRODUCTION_ERROR} and the source event's bytes, where it has them.
 *
 * <ul>
 *   <li>A retriable send error is retried, as by Kafka's default.</li>
 *   <li>Any other send error (authorisation, a record too large for an output topic) fails, without
 *       a dead letter: a write that cannot succeed stops the application rather than lose outputs
 *       silently, and the source event, whose offset is not committed, is processed again after
 *       the restart. A letter could not name it anyway: the producer reports a send error after
 *       Kafka Streams has freed the source record's bytes (once the record was serialised), and
 *       the context then describes whichever record the stream thread is processing.</li>
 *   <li>A record that cannot be serialised because of the schema registry (a subject refused or
 *       missing, the registry down) fails without a dead letter: not the event's fault.</li>
 *   <li>Any other serialisation failure is a bug in the record the updater built: the event is
 *       dead-lettered and processing continues, as for a bug in a processor.</li>
 *   <li>A dead letter that cannot be sent gets no letter of its own (it would fail the same way);
 *       one too large for the producer or the topic is skipped, logged, and processing continues
 *       (DeadLetters already leaves out a value that would not fit in {@code max.request.size}).</li>
 * </ul>
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);

    private String deadLetterTopic;
    private int maxLetterBytes;

    @Override
    public void configure(final Map<String, ?> configs) {
        deadLetterTopic = DeadLetters.topic(configs);
        maxLetterBytes = DeadLetters.maxLetterBytes(configs);
    }

    @Override
    public Response handleError(final ErrorHandlerContext context, final ProducerRecord<byte[], byte[]> record,
                                final Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        if (deadLetterTopic.equals(record.topic()) && exception instanceof RecordTooLargeException) {
            // DeadLetters leaves out a value too large for this producer, so only a broker or topic
            // limit below max.request.size gets here: failing would stop the partition for good
            // on a record that was only being set aside.
            LOG.error("A dead letter for record {} is too large for {} even without its value, or its value is too"
                    + " large for the topic's max.message.bytes; the record is skipped without one",
                    origin(record), deadLetterTopic, exception);
            return Response.resume();
        }
        // The context is not the failed record's here (class comment): the letter's own headers,
        // or the output topic, say what failed.
        if (deadLetterTopic.equals(record.topic())) {
            LOG.error("Could not write a dead letter for record {} to {}; stopping", origin(record), deadLetterTopic,
                    exception);
            return Response.fail();
        }
        LOG.error("Could not write a record to {}; stopping, so that its source event is processed again after the"
                + " restart", record.topic(), exception);
        return Response.fail();
    }

    @Override
    public Response handleSerializationError(final ErrorHandlerContext context, final ProducerRecord record,
                                             final Exception exception, final SerializationExceptionOrigin origin) {
        final SchemaRegistryException registryError = SchemaRegistryException.in(exception);
        if (registryError != null) {
            LOG.error("Schema registry failed serialising the {} of a record for {} (subject {}); stopping rather"
                    + " than dead-lettering", origin.name().toLowerCase(java.util.Locale.ROOT), record.topic(),
                    registryError.subject(), exception);
            return Response.fail();
        }
        LOG.error("Could not serialise the {} of a record for {} built from {}-{}@{}; dead-lettering that record",
                origin.name().toLowerCase(java.util.Locale.ROOT), record.topic(), context.topic(), context.partition(),
                context.offset(), exception);
        return Response.resume(letter(context, exception));
    }

    /** topic-partition@offset of the record a dead letter is for, from the letter's own headers. */
    private static String origin(final ProducerRecord<byte[], byte[]> letter) {
        return DeadLetters.header(letter.headers(), DeadLetters.TOPIC) + "-"
                + DeadLetters.header(letter.headers(), DeadLetters.PARTITION) + "@"
                + DeadLetters.header(letter.headers(), DeadLetters.OFFSET);
    }

    private java.util.List<ProducerRecord<byte[], byte[]>> letter(final ErrorHandlerContext context, final Exception exception) {
        return DeadLetters.letter(deadLetterTopic, maxLetterBytes, context, context.sourceRawKey(), context.sourceRawValue(),
                RejectReason.PRODUCTION_ERROR, exception);
    }
}
