package dev.streamrec.updater.clean;

import dev.streamrec.schemas.Interaction;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiFunction;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Validates and normalises one event type. An invalid event raises {@link InvalidEventException},
 * which the configured processing-exception handler turns into a dead letter carrying the original
 * bytes; a valid one continues as an {@link Interaction} stamped with its ingest (wall-clock) time,
 * where event-to-recommendation latency starts.
 *
 * <p>The record's own timestamp is checked too. Everything downstream works in record time (the
 * de-duplication window, item-factor records, trending), the producer sets it, and a broker accepts
 * it up to an hour ahead by default ({@code log.message.timestamp.after.max.ms}). One record
 * stamped far ahead made the user's de-duplication memory, which forgets what is more than two
 * windows older than the newest event, drop every real event, so their retries counted again. A
 * record stamped more than the skew allowed for {@code eventTime} ahead of the wall clock is
 * therefore forwarded at the wall-clock time instead; every other record keeps its timestamp.
 * Now rather than the validated {@code eventTime}: the record time of the others is when they were
 * produced, near now, and a retry of this event will be too, while {@code eventTime} may be up to
 * {@code validation.max.age.ms} old and would put the record outside its retries' window.
 */
public final class ValidateProcessor<E> implements FixedKeyProcessor<String, E, Interaction> {
    private final BiFunction<E, Long, Interaction> validate;
    private final long maxFutureSkewMs;
    private FixedKeyProcessorContext<String, Interaction> context;

    /**
     * @param maxFutureSkew how far ahead of the wall clock a record's timestamp may be (the skew
     *                      allowed for {@code eventTime}, {@code validation.max.future.skew.ms})
     */
    public ValidateProcessor(final BiFunction<E, Long, Interaction> validate, final Duration maxFutureSkew) {
        this.validate = validate;
        this.maxFutureSkewMs = maxFutureSkew.toMillis();
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, Interaction> context) {
        this.context = context;
    }

    @Override
    public void process(final FixedKeyRecord<String, E> record) {
        final long now = context.currentSystemTimeMs();
        final Interaction interaction = validate.apply(record.value(), now);
        interaction.setIngestTime(Instant.ofEpochMilli(now));
        final FixedKeyRecord<String, Interaction> validated = record.withValue(interaction);
        context.forward(record.timestamp() > now + maxFutureSkewMs ? validated.withTimestamp(now) : validated);
    }
}
