package dev.streamrec.updater;

import dev.streamrec.schemas.Interaction;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.ItemUpdate;
import dev.streamrec.schemas.ModelMetrics;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.updater.learn.ItemFactorsGlobalUpdater;
import dev.streamrec.updater.learn.ItemFactorsPublisher;
import dev.streamrec.updater.learn.ItemModel;
import dev.streamrec.updater.learn.ItemStage;
import dev.streamrec.updater.learn.ItemState;
import dev.streamrec.updater.learn.ItemStateSerde;
import dev.streamrec.updater.learn.UserStageProcessor;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import dev.streamrec.updater.catalog.CatalogEnricher;
import dev.streamrec.updater.catalog.CatalogListener;
import dev.streamrec.updater.catalog.CatalogStoreUpdater;
import dev.streamrec.updater.clean.Deduplicator;
import dev.streamrec.updater.clean.EventValidator;
import dev.streamrec.updater.clean.ValidateProcessor;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.profile.AnomalyDetector;
import dev.streamrec.updater.profile.ProfileAggregator;
import dev.streamrec.updater.profile.ProfileProcessor;
import dev.streamrec.updater.profile.ProfileStep;
import dev.streamrec.updater.topology.Names;
import dev.streamrec.updater.topology.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Builds the profile-updater's topology. The one place that wires it; {@code main} and the tests
 * both call {@link #build}.
 *
 * <pre>
 * events.clicks / events.purchases / events.ratings (userId → event)
 *   → validate + normalise (invalid → events.dlq via DeadLetterProcessingHandler)
 *   → key check: keyed by the value's user id? else re-key through "rekeyed-events"
 *   → enrich with catalog.items (the CatalogView the global catalog-store keeps in memory)
 *   → profile: dedupe, then the profile (reads profile-store, which carries the user's recent
 *       event ids and item history; dedupe-store and user-items-store for what outgrows it)
 *   → user stage (profile-store, user-stage-state-store; reads the instance's ItemModel):
 *       test then train, SGD on p_u, b_u; stores the profile with the factors
 *       ├─ UserProfile → profiles.users (userId → UserProfile)
 *       ├─ ItemUpdate keyed by itemId → "item-steps" repartition → item stage
 *       │     (item-factors-store: ItemState, binary, cached; an item it has nothing for starts from the
 *       │     ItemModel's copy of model.item-factors) → publisher (at every commit, or each changed
 *       │     item once per item.factors.publish.interval.ms) → model.item-factors (itemId → ItemFactors, compacted)
 *       ├─ Recommendations (batched refresh of dirty users) → recommendations.users
 *       └─ ModelMetrics (prequential summary per task) → model.metrics
 * model.item-factors → global item-factors-global-store on every instance → ItemModel (dense matrix)
 * catalog.items      → global catalog-store on every instance → ItemModel (active flags, CatalogView)
 * </pre>
 */
public final class ProfileUpdaterTopology {
    private ProfileUpdaterTopology() {
    }

    /** The topology for {@code config}, with an item model of its own. */
    public static Topology build(final UpdaterConfig config) {
        return build(config, newItemModel(config));
    }

    /** The item model one running instance shares between its threads. */
    public static ItemModel newItemModel(final UpdaterConfig config) {
        return new ItemModel(config.model(), config.recommendations().trendingHalfLife(),
                config.recommendations().candidates());
    }

    /** The topology, reading and maintaining {@code model}, this instance's view of every item. */
    public static Topology build(final UpdaterConfig config, final ItemModel model) {
        final CatalogListener catalogListener = model;
        final Topics topics = new Topics(config);
        final StreamsBuilder builder = new StreamsBuilder();
        final EventValidator validator = new EventValidator(config.validation());
        final Duration maxFutureSkew = config.validation().maxFutureSkew();

        // Catalog: a global store on every instance, so enrichment never needs a repartition.
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.CATALOG_STORE),
                        Serdes.String(), topics.catalog.valueSerde()).withLoggingDisabled(),
                topics.catalog.name(),
                topics.catalog.consumed(Names.CATALOG_SOURCE),
                () -> new CatalogStoreUpdater(Names.CATALOG_STORE, catalogListener));

        final KStream<String, Interaction> clicks = builder.stream(topics.clicks.name(), topics.clicks.consumed(Names.CLICKS_SOURCE))
                .processValues(() -> new ValidateProcessor<>(validator::click, maxFutureSkew), Named.as(Names.VALIDATE_CLICKS));
        final KStream<String, Interaction> purchases = builder.stream(topics.purchases.name(), topics.purchases.consumed(Names.PURCHASES_SOURCE))
                .processValues(() -> new ValidateProcessor<>(validator::purchase, maxFutureSkew), Named.as(Names.VALIDATE_PURCHASES));
        final KStream<String, Interaction> ratings = builder.stream(topics.ratings.name(), topics.ratings.consumed(Names.RATINGS_SOURCE))
                .processValues(() -> new ValidateProcessor<>(validator::rating, maxFutureSkew), Named.as(Names.VALIDATE_RATINGS));
        final KStream<String, Interaction> events = clicks
                .merge(purchases, Named.as(Names.MERGE_EVENTS + "-1"))
                .merge(ratings, Named.as(Names.MERGE_EVENTS + "-2"));

        // Only events whose key is not their user id pay for a repartition.
        final Map<String, KStream<String, Interaction>> byKey = events.split(Named.as(Names.KEY_CHECK))
                .branch((key, event) -> event.getUserId().equals(key), Branched.as(Names.KEYED_BY_USER))
                .defaultBranch(Branched.as(Names.MISKEYED));
        final KStream<String, Interaction> rekeyed = byKey.get(Names.KEY_CHECK + Names.MISKEYED)
                .selectKey((key, event) -> event.getUserId(), Named.as(Names.REKEY_BY_USER))
                .repartition(Repartitioned.<String, Interaction>as(Names.REKEYED_EVENTS)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.interactionSerde));
        final KStream<String, Interaction> keyed = byKey.get(Names.KEY_CHECK + Names.KEYED_BY_USER)
                .merge(rekeyed, Named.as(Names.MERGE_KEYED));

        builder.addStateStore(dedupeStore(config));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.PROFILE_STORE),
                Serdes.String(), topics.internalAvro(UserProfile.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.USER_ITEMS_STORE),
                Serdes.String(), Serdes.Integer()));

        final KStream<String, ProfileStep> profiled = keyed
                .processValues(() -> new CatalogEnricher(model.catalog()), Named.as(Names.ENRICH))
                .processValues(() -> new ProfileProcessor(new ProfileAggregator(config.profile()),
                                new AnomalyDetector(config.profile()), new Deduplicator(config.dedupeWindow()),
                                Names.PROFILE_STORE, Names.USER_ITEMS_STORE, Names.DEDUPE_STORE),
                        Named.as(Names.PROFILE), Names.PROFILE_STORE, Names.USER_ITEMS_STORE, Names.DEDUPE_STORE);

        addLearning(builder, config, topics, model, profiled);

        return builder.build();
    }

    private static void addLearning(final StreamsBuilder builder, final UpdaterConfig config, final Topics topics,
                                    final ItemModel model, final KStream<String, ProfileStep> profiled) {
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.ITEM_FACTORS_GLOBAL_STORE),
                        Serdes.String(), topics.itemFactors.valueSerde()).withLoggingDisabled(),
                topics.itemFactors.name(),
                topics.itemFactors.consumed(Names.ITEM_FACTORS_SOURCE),
                () -> new ItemFactorsGlobalUpdater(Names.ITEM_FACTORS_GLOBAL_STORE, model));
        // μ's count and sum are rewritten on every rating, the refresh watermark on every refresh
        // round: the record cache sends only the last values of each commit interval to the
        // changelog (was 0.4 appends per input event).
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(Names.USER_STAGE_STATE_STORE),
                Serdes.String(), Serdes.Double()).withCachingEnabled());

        final UserStageProcessor.Names stores = new UserStageProcessor.Names(Names.USER_STAGE_STATE_STORE, Names.PROFILE_STORE, Names.USER_ITEMS_STORE);
        // One item stage per topology, shared by every stream thread of the instance; its user-stage
        // tasks report its discarded steps, each once.
        final ItemStage itemStage = new ItemStage(config.model(), config.recommendations().trendingHalfLife(), model);
        final Map<String, KStream<String, SpecificRecord>> outputs = profiled
                .process(() -> new UserStageProcessor(config, model, stores, itemStage::takeDiscardedSteps),
                        Named.as(Names.USER_STAGE),
                        Names.USER_STAGE_STATE_STORE, Names.PROFILE_STORE, Names.USER_ITEMS_STORE)
                .split(Named.as(Names.USER_STAGE_SPLIT))
                .branch((key, value) -> value instanceof UserProfile, Branched.as(Names.PROFILE_VALUES))
                .branch((key, value) -> value instanceof ItemUpdate, Branched.as(Names.ITEM_STEPS))
                .branch((key, value) -> value instanceof Recommendations, Branched.as(Names.RECOMMENDATIONS_VALUES))
                .branch((key, value) -> value instanceof ModelMetrics, Branched.as(Names.METRICS_VALUES))
                .noDefaultBranch();

        outputs.get(Names.USER_STAGE_SPLIT + Names.ITEM_STEPS)
                .mapValues(value -> (ItemUpdate) value, Named.as(Names.ITEM_STEPS + "-values"))
                .repartition(Repartitioned.<String, ItemUpdate>as(Names.ITEM_STEPS_TOPIC)
                        .withKeySerde(Serdes.String()).withValueSerde(topics.itemUpdateSerde))
                .groupByKey(Grouped.<String, ItemUpdate>as(Names.ITEM_STAGE + "-grouped")
                        .withKeySerde(Serdes.String()).withValueSerde(topics.itemUpdateSerde))
                .aggregate(ItemStage.initializer(), itemStage, Named.as(Names.ITEM_STAGE),
                        Materialized.<String, ItemState, KeyValueStore<Bytes, byte[]>>as(Names.ITEM_FACTORS_STORE)
                                .withKeySerde(Serdes.String())
                                .withValueSerde(new ItemStateSerde(topics.itemFactors.valueSerde().deserializer())))
                .toStream(Named.as(Names.ITEM_STAGE + "-changes"))
                .process(() -> new ItemFactorsPublisher(Names.ITEM_FACTORS_STORE, config.itemFactorsPublishInterval(), model::versionOf),
                        Named.as(Names.ITEM_FACTORS_PUBLISHER), Names.ITEM_FACTORS_STORE)
                .to(topics.itemFactors.name(), topics.itemFactors.produced(Names.ITEM_FACTORS_SINK));

        outputs.get(Names.USER_STAGE_SPLIT + Names.PROFILE_VALUES)
                .mapValues(value -> (UserProfile) value, Named.as(Names.PROFILE_VALUES + "-typed"))
                .to(topics.profiles.name(), topics.profiles.produced(Names.PROFILES_SINK));
        outputs.get(Names.USER_STAGE_SPLIT + Names.RECOMMENDATIONS_VALUES)
                .mapValues(value -> (Recommendations) value, Named.as(Names.RECOMMENDATIONS_VALUES + "-typed"))
                .to(topics.recommendations.name(), topics.recommendations.produced(Names.RECOMMENDATIONS_SINK));
        outputs.get(Names.USER_STAGE_SPLIT + Names.METRICS_VALUES)
                .mapValues(value -> (ModelMetrics) value, Named.as(Names.METRICS_VALUES + "-typed"))
                .to(topics.metrics.name(), topics.metrics.produced(Names.METRICS_SINK));
    }

    private static StoreBuilder<WindowStore<String, Long>> dedupeStore(final UpdaterConfig config) {
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(Names.DEDUPE_STORE, Deduplicator.retention(config.dedupeWindow()),
                        Deduplicator.bucketWidth(config.dedupeWindow()), false),
                Serdes.String(), Serdes.Long());
    }
}
