package dev.streamrec.updater.errors;

import dev.streamrec.serde.SchemaRegistryException;
import dev.streamrec.updater.clean.RejectReason;
import java.util.Map;
import java.util.Set;
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
 *
 * <p>A record of a global store's topic ({@code catalog.items}, {@code model.item-factors}) is
 * skipped without a dead letter: Kafka Streams' global thread has no producer, and answering it
 * with a dead letter fails that thread (a ClassCastException in Kafka 4.x), which cannot be
 * replaced, so the instance stopped; and since the global store re-reads its topic at every start
 * after a crash, every restart stopped on the same record until its key was overwritten. Kafka
 * Streams counts the skipped record in its {@code dropped-records} metric; the entry keeps its
 * previous value.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private String deadLetterTopic;
    private int maxLetterBytes;
    private Set<String> globalTopics;
    /** Whether a skipped global record was logged at WARN: the first is, the rest at DEBUG. */
    private volatile boolean warnedOfGlobalSkip;

    @Override
    public void configure(final Map<String, ?> configs) {
        deadLetterTopic = DeadLetters.topic(configs);
        maxLetterBytes = DeadLetters.maxLetterBytes(configs);
        globalTopics = DeadLetters.globalTopics(configs);
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
        if (globalTopics.contains(record.topic())) {
            skipGlobal(record, reason, exception);
            return Response.resume();
        }
        LOG.warn("Undecodable record {}-{}@{} ({}): {}", record.topic(), record.partition(), record.offset(),
                reason, exception.toString());
        return Response.resume(DeadLetters.letter(deadLetterTopic, maxLetterBytes, context, record.key(), record.value(), reason, exception));
    }

    private void skipGlobal(final ConsumerRecord<byte[], byte[]> record, final RejectReason reason, final Exception exception) {
        // A compacted topic keeps the record, so each restore meets it again: one line per restart
        // and per such record would drown everything else.
        if (warnedOfGlobalSkip) {
            LOG.debug("Skipping undecodable record {}-{}@{} of a global store ({}): {}", record.topic(),
                    record.partition(), record.offset(), reason, exception.toString());
            return;
        }
        warnedOfGlobalSkip = true;
        LOG.warn("Skipping undecodable record {}-{}@{} of a global store ({}): {}. Global stores' records cannot be"
                + " dead-lettered; the entry keeps its previous value until its key is written again. Further ones"
                + " are logged at DEBUG and counted in Kafka Streams' dropped-records metric", record.topic(),
                record.partition(), record.offset(), reason, exception.toString());
    }
}
