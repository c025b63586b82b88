package dev.streamrec.updater.clean;

import dev.streamrec.schemas.Interaction;
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
 */
public final class ValidateProcessor<E> implements FixedKeyProcessor<String, E, Interaction> {
    private final BiFunction<E, Long, Interaction> validate;
    private FixedKeyProcessorContext<String, Interaction> context;

    public ValidateProcessor(final BiFunction<E, Long, Interaction> validate) {
        this.validate = validate;
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
        context.forward(record.withValue(interaction));
    }
}
