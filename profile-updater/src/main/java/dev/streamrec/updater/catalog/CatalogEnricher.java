package dev.streamrec.updater.catalog;

import dev.streamrec.schemas.Interaction;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Joins each interaction with the catalog (the instance's {@link CatalogView} of the global
 * {@code catalog-store}): categories and price of the item at the time the event is processed. An
 * item not yet in the catalog is not an error: the interaction continues with
 * {@code itemKnown=false} and no categories, so nothing is lost and the model still learns from
 * it; later events see the item once the catalog has it.
 */
public final class CatalogEnricher implements FixedKeyProcessor<String, Interaction, Interaction> {
    private final CatalogView catalog;
    private FixedKeyProcessorContext<String, Interaction> context;

    public CatalogEnricher(final CatalogView catalog) {
        this.catalog = catalog;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, Interaction> context) {
        this.context = context;
    }

    @Override
    public void process(final FixedKeyRecord<String, Interaction> record) {
        final Interaction interaction = record.value();
        final CatalogView.Entry item = catalog.get(interaction.getItemId());
        if (item != null) {
            interaction.setItemKnown(true);
            interaction.setCategories(item.categories());
            interaction.setItemPrice(item.price());
        }
        context.forward(record);
    }
}
