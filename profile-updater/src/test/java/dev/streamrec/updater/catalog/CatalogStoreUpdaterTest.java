package dev.streamrec.updater.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.Item;
import dev.streamrec.serde.InMemorySchemaRegistry;
import dev.streamrec.serde.SpecificAvroSerde;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The global catalog store is replayed into the in-memory indexes at start. One entry they cannot
 * take must not keep the global thread (and so the instance) from starting: it is skipped, the
 * others are loaded.
 */
class CatalogStoreUpdaterTest {
    private final String scope = "catalog-store-updater-" + UUID.randomUUID();

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    private static Item item(final String id) {
        return Item.newBuilder().setItemId(id).setTitle(id).setCategories(List.of("c")).setPrice(null)
                .setActive(true).setUpdatedAt(Instant.EPOCH).build();
    }

    /** The global catalog store, empty, registered with {@code context} as the processor finds it. */
    private KeyValueStore<String, Item> catalogStore(final MockProcessorContext<Void, Void> context) {
        final KeyValueStore<String, Item> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("catalog"),
                Serdes.String(), SpecificAvroSerde.of(Item.class, Map.of("schema.registry.url", "mock://" + scope), false))
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }

    @Test
    void anEntryTheListenerCannotTakeIsSkippedAtRestoreAndTheOthersAreLoaded() {
        final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        final KeyValueStore<String, Item> store = catalogStore(context);
        store.put("a", item("a"));
        store.put("bad", item("bad"));
        store.put("c", item("c"));

        final List<String> told = new ArrayList<>();
        final boolean[] restored = {false};
        final CatalogListener listener = new CatalogListener() {
            @Override
            public void onCatalogEntry(final String itemId, final Item item) {
                if (itemId.equals("bad")) {
                    throw new IllegalStateException("cannot take " + itemId);
                }
                told.add(itemId);
            }

            @Override
            public void onCatalogRestored() {
                restored[0] = true;
            }
        };

        new CatalogStoreUpdater("catalog", listener).init(context);

        assertThat(told).containsExactlyInAnyOrder("a", "c");
        assertThat(restored[0]).isTrue();
    }

    /**
     * A producer that keys {@code catalog.items} by anything but the item id (an Avro-serialised
     * key, another field) must not make a phantom item under the key while the real item stays
     * unknown: the entry is skipped, at restore and on update, and a tombstone under the key
     * removes nothing it did not add.
     */
    @Test
    void anEntryKeyedByAnythingButItsItemIdIsNotIndexed() {
        final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        final KeyValueStore<String, Item> store = catalogStore(context);
        store.put("a", item("a"));
        store.put("\u0000\u0002x", item("x")); // e.g. an Avro string key: zig-zag length, then the id

        final List<String> told = new ArrayList<>();
        final CatalogListener listener = (itemId, item) -> told.add(itemId + "=" + (item == null ? null : item.getItemId()));
        final CatalogStoreUpdater updater = new CatalogStoreUpdater("catalog", listener);
        updater.init(context);
        assertThat(told).containsExactly("a=a");

        updater.process(new org.apache.kafka.streams.processor.api.Record<>("y-key", item("y"), 0L));
        updater.process(new org.apache.kafka.streams.processor.api.Record<>("b", item("b"), 0L));
        assertThat(told).containsExactly("a=a", "b=b");
        updater.process(new org.apache.kafka.streams.processor.api.Record<>("y-key", null, 0L));
        updater.process(new org.apache.kafka.streams.processor.api.Record<>("never-written", null, 0L));
        updater.process(new org.apache.kafka.streams.processor.api.Record<>("b", null, 0L));
        assertThat(told).as("only the tombstone of an indexed entry is told").containsExactly("a=a", "b=b", "b=null");
        assertThat(store.get("y-key")).as("the store follows the topic").isNull();
    }
}
