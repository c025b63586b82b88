package dev.streamrec.service.topology;

import dev.streamrec.service.config.ServiceConfig;
import dev.streamrec.service.items.ItemVectors;
import dev.streamrec.service.quality.ModelQuality;
import dev.streamrec.updater.catalog.CatalogStoreUpdater;
import dev.streamrec.updater.topology.TopicSpec;
import dev.streamrec.updater.topology.Topics;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The service's Kafka Streams topology: it only materialises what the profile-updater publishes.
 *
 * <ul>
 *   <li>{@code recommendations.users} (userId to Recommendations) into partitioned RocksDB store
 *       {@link ServiceStores#RECOMMENDATIONS};</li>
 *   <li>{@code profiles.users} (userId to UserProfile) into partitioned RocksDB store
 *       {@link ServiceStores#PROFILES};</li>
 *   <li>{@code model.item-factors} (itemId to ItemFactors) into global RocksDB store
 *       {@link ServiceStores#ITEM_FACTORS}, mirrored into {@link ItemVectors} for similar items and
 *       cold-start popularity;</li>
 *   <li>{@code model.metrics} (task id to ModelMetrics) into global in-memory store
 *       {@link ServiceStores#MODEL_METRICS}, aggregated into {@link ModelQuality};</li>
 *   <li>{@code catalog.items} (itemId to Item) into global RocksDB store
 *       {@link ServiceStores#CATALOG}, whose active flags {@link ItemVectors} follows: an item the
 *       catalogue withdrew ({@code active=false}, or deleted while the service runs) is never
 *       scored by the updater, so it is left out of the popular and similar lists here too. The
 *       updater's own {@link CatalogStoreUpdater} keeps the store and replays it at start, so both
 *       applications read the catalogue alike (mis-keyed entries skipped).</li>
 * </ul>
 *
 * <p>Built with the configuration's properties so source-topic reuse applies: the two compacted
 * input topics serve as the tables' changelogs instead of being copied.
 */
public final class ServiceTopology {
    private ServiceTopology() {
    }

    public static Topology build(final ServiceConfig config, final ItemVectors items, final ModelQuality quality) {
        final Topics topics = new Topics(config.topics(), config.serdeConfig());
        final StreamsBuilder builder = new StreamsBuilder();
        builder.table(topics.recommendations.name(),
                topics.recommendations.consumed(ServiceStores.RECOMMENDATIONS_SOURCE),
                persistent(ServiceStores.RECOMMENDATIONS, topics.recommendations));
        builder.table(topics.profiles.name(), topics.profiles.consumed(ServiceStores.PROFILES_SOURCE),
                persistent(ServiceStores.PROFILES, topics.profiles));
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ServiceStores.ITEM_FACTORS),
                        topics.itemFactors.keySerde(), topics.itemFactors.valueSerde()).withLoggingDisabled(),
                topics.itemFactors.name(), topics.itemFactors.consumed(ServiceStores.ITEM_FACTORS_SOURCE),
                () -> new ItemFactorsIndexer(items));
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(ServiceStores.MODEL_METRICS),
                        topics.metrics.keySerde(), topics.metrics.valueSerde()).withLoggingDisabled(),
                topics.metrics.name(), topics.metrics.consumed(ServiceStores.MODEL_METRICS_SOURCE),
                () -> new ModelMetricsCollector(quality));
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ServiceStores.CATALOG),
                        topics.catalog.keySerde(), topics.catalog.valueSerde()).withLoggingDisabled(),
                topics.catalog.name(), topics.catalog.consumed(ServiceStores.CATALOG_SOURCE),
                () -> new CatalogStoreUpdater(ServiceStores.CATALOG,
                        (itemId, item) -> items.setActive(itemId, item != null && item.getActive())));
        return builder.build(config.streamsProperties());
    }

    private static <V> Materialized<String, V, KeyValueStore<Bytes, byte[]>> persistent(final String store,
                                                                                       final TopicSpec<String, V> topic) {
        // The default store type: RocksDB, one instance per partition.
        return Materialized.<String, V, KeyValueStore<Bytes, byte[]>>as(store)
                .withKeySerde(topic.keySerde()).withValueSerde(topic.valueSerde());
    }
}
