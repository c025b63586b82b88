package dev.streamrec.updater.catalog;

import dev.streamrec.schemas.Interaction;
import dev.streamrec.schemas.Item;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Joins each interaction with the catalog (the global {@code catalog-store}): categories and price
 * of the item at the time the event is processed. An item not yet in the catalog is not an error:
 * the interaction continues with {@code itemKnown=false} and no categories, so nothing is lost and
 * the model still learns from it; later events see the item once the catalog has it.
 */
public final class CatalogEnricher implements FixedKeyProcessor<String, Interaction, Interaction> {
    private final String storeName;
    private FixedKeyProcessorContext<String, Interaction> context;
    private KeyValueStore<String, Item> catalog;

    public CatalogEnricher(final String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, Interaction> context) {
        this.context = context;
        this.catalog = context.getStateStore(storeName);
    }

    @Override
    public void process(final FixedKeyRecord<String, Interaction> record) {
        final Interaction interaction = record.value();
        final Item item = catalog.get(interaction.getItemId());
        if (item != null) {
            interaction.setItemKnown(true);
            interaction.setCategories(List.copyOf(item.getCategories()));
            interaction.setItemPrice(item.getPrice());
        }
        context.forward(record);
    }
}
