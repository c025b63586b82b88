package dev.streamrec.updater.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.serde.SpecificAvroSerde;
import dev.streamrec.updater.ProfileUpdaterTopology;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.model.DecayedCount;
import dev.streamrec.updater.model.ItemParameters;
import dev.streamrec.updater.ranking.TrendingItems.TrendingItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * At start the item model is rebuilt from the restored global store, without growth slack, trending
 * included; records of another model size are skipped, at start and live.
 */
class ItemFactorsGlobalUpdaterTest {
    private final UpdaterConfig config = UpdaterConfig.of(Map.of());
    private final ItemModel model = ProfileUpdaterTopology.newItemModel(config);
    private final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    private final KeyValueStore<String, ItemFactors> store = itemFactorsStore(context);

    @Test
    void restoredItemsReachTheModelAndTheMatrixIsTrimmedToThem() {
        final int items = 1_500; // past the matrix's first capacity (1,024): it grows to 1,536
        final List<Float> factors = new ArrayList<>();
        for (int k = 0; k < config.model().dimensions(); k++) {
            factors.add(0.01f * k);
        }
        for (int i = 0; i < items; i++) {
            store.put("item-" + i, ItemFactors.newBuilder().setItemId("item-" + i).setFactors(factors).setVersion(3)
                    .setUpdatedAt(Instant.ofEpochMilli(1_000)).build());
        }

        new ItemFactorsGlobalUpdater("item-factors", model).init(context);

        assertThat(model.matrix().size()).isEqualTo(items);
        assertThat(model.matrix().capacity()).isEqualTo(items);
        assertThat(model.versionOf("item-777")).isEqualTo(3);
        assertThat(model.matrix().modelVersion()).isEqualTo(3L * items);
    }

    @Test
    void trendingIsRebuiltFromThePublishedDecayedCountNotTheLifetimeCount() {
        final long now = 1_780_000_000_000L;
        // An all-time hit whose positives are long past, and a record written before trendingScore existed.
        store.put("hit", ItemFactors.newBuilder(factors("hit", 9, 0.1f)).setPositiveCount(10_000).setTrendingScore(1e-3)
                .setTrendingAt(Instant.ofEpochMilli(now - 86_400_000L)).build());
        store.put("new", ItemFactors.newBuilder(factors("new", 2, 0.1f)).setPositiveCount(2).setTrendingScore(2.0)
                .setTrendingAt(Instant.ofEpochMilli(now)).build());
        store.put("legacy", ItemFactors.newBuilder(factors("legacy", 5, 0.1f)).setPositiveCount(500).build());

        new ItemFactorsGlobalUpdater("item-factors", model).init(context);

        assertThat(model.trending().top(3, now, Set.of(), Set.of()))
                .extracting(TrendingItem::itemId).containsExactly("new", "hit");
        assertThat(model.trending().scoreAt("hit", now)).isCloseTo(1e-3 / 16, within(1e-12));
    }

    /**
     * An item the catalogue withdrew ({@code active=false}, or deleted by a tombstone) is never
     * scored by the matrix, and must not be handed to cold-start users by the trending lists either,
     * whichever of its catalogue and model records arrives first; reactivated, it trends again with
     * the count it had.
     */
    @Test
    void aWithdrawnItemLeavesTheTrendingListsAndComesBackWhenReactivated() {
        final long now = 1_780_000_000_000L;
        final ItemFactorsGlobalUpdater updater = new ItemFactorsGlobalUpdater("item-factors", model);
        updater.init(context);
        for (final String id : List.of("hit", "deleted", "minor")) {
            model.onCatalogEntry(id, catalogItem(id, true));
        }
        updater.process(new Record<>("hit", trendingAt("hit", 1, 8.0, now), now));
        updater.process(new Record<>("deleted", trendingAt("deleted", 1, 4.0, now), now));
        updater.process(new Record<>("minor", trendingAt("minor", 1, 1.0, now), now));
        assertThat(trendingIds(now)).containsExactly("hit", "deleted", "minor");

        model.onCatalogEntry("hit", catalogItem("hit", false));
        model.onCatalogEntry("deleted", null);
        assertThat(trendingIds(now)).as("withdrawn after their counts").containsExactly("minor");
        updater.process(new Record<>("hit", trendingAt("hit", 2, 9.0, now), now));
        assertThat(trendingIds(now)).as("a new count of a withdrawn item").containsExactly("minor");

        model.onCatalogEntry("hit", catalogItem("hit", true));
        assertThat(trendingIds(now)).as("reactivated with its latest count").containsExactly("hit", "minor");
        assertThat(model.trending().scoreAt("hit", now)).isCloseTo(9.0, within(1e-9));
    }

    private List<String> trendingIds(final long now) {
        return model.trending().top(5, now, Set.of(), Set.of()).stream().map(TrendingItem::itemId).toList();
    }

    private ItemFactors trendingAt(final String itemId, final long version, final double score, final long at) {
        return ItemFactors.newBuilder(factors(itemId, version, 0.1f)).setPositiveCount(version).setTrendingScore(score)
                .setTrendingAt(Instant.ofEpochMilli(at)).build();
    }

    private static Item catalogItem(final String id, final boolean active) {
        return Item.newBuilder().setItemId(id).setTitle(id).setCategories(List.of("c")).setPrice(null)
                .setActive(active).setUpdatedAt(Instant.EPOCH).build();
    }

    @Test
    void anOlderVersionOfAnItemIsIgnoredAndANewerOneApplied() {
        final ItemFactorsGlobalUpdater updater = new ItemFactorsGlobalUpdater("item-factors", model);
        updater.init(context);

        updater.process(new Record<>("a", factors("a", 5, 0.5f), 1_000));
        updater.process(new Record<>("a", factors("a", 4, 0.4f), 2_000)); // a late, older version
        assertThat(store.get("a").getVersion()).isEqualTo(5);
        assertThat(model.versionOf("a")).isEqualTo(5);
        assertThat(model.read("a").factors()[0]).isEqualTo(0.5f);

        updater.process(new Record<>("a", factors("a", 6, 0.6f), 3_000));
        assertThat(store.get("a").getVersion()).isEqualTo(6);
        assertThat(model.read("a").factors()[0]).isEqualTo(0.6f);

        updater.process(new Record<>("a", null, 4_000)); // a tombstone removes the item from both
        assertThat(store.get("a")).isNull();
        assertThat(model.versionOf("a")).isEqualTo(-1);
    }

    @Test
    void anItemWithNoFactorsYetIsStoredButNotModelledAndItsFirstFactorsApply() {
        final ItemFactorsGlobalUpdater updater = new ItemFactorsGlobalUpdater("item-factors", model);
        updater.init(context);
        // What the item stage publishes when every step to a new item was discarded.
        final ItemFactors noFactors = ItemFactors.newBuilder().setItemId("b").setFactors(List.of())
                .setUpdatedAt(Instant.ofEpochMilli(1_000)).build();

        updater.process(new Record<>("b", noFactors, 1_000));
        assertThat(store.get("b").getVersion()).isZero();
        assertThat(model.versionOf("b")).isEqualTo(-1);

        updater.process(new Record<>("b", factors("b", 1, 0.1f), 2_000));
        assertThat(store.get("b").getVersion()).isEqualTo(1);
        assertThat(model.versionOf("b")).isEqualTo(1);
    }

    /**
     * The compacted topic keeps every item's record from before a {@code model.rank} (or
     * {@code model.sharing}) change until the item's next step: the instance must start on it, the
     * item must be left without factors until then, and its counts, which do not depend on the
     * rank, must still reach negative sampling and trending.
     */
    @Test
    void aRestoredRecordOfAnotherSizeIsSkippedWithoutFailingTheStartAndItsNextRecordApplies() {
        final long now = 1_780_000_000_000L;
        store.put("ok", factors("ok", 3, 0.1f));
        store.put("old", ItemFactors.newBuilder(factors("old", 9, 0.2f, config.model().dimensions() + 2))
                .setPositiveCount(50).setTrendingScore(4.0).setTrendingAt(Instant.ofEpochMilli(now)).build());
        final ItemFactorsGlobalUpdater updater = new ItemFactorsGlobalUpdater("item-factors", model);

        updater.init(context);

        assertThat(model.matrix().rowOf("ok")).isNotNegative();
        assertThat(model.matrix().rowOf("old")).as("no row: as an item with no factors yet").isNegative();
        assertThat(model.matrix().modelVersion()).isEqualTo(3);
        assertThat(model.read("old").factors()).containsExactly(ItemParameters.initial("old", config.model()).factors());
        assertThat(model.versionOf("old")).as("the version the store holds").isEqualTo(9);
        assertThat(model.sampleNegatives(1, item -> false, new SplittableRandom(1))).containsExactly("old");
        assertThat(model.trending().scoreAt("old", now)).isCloseTo(4.0, within(1e-9));

        updater.process(new Record<>("old", factors("old", 8, 0.8f), 1_000)); // a late one, older than the skipped
        assertThat(model.versionOf("old")).isEqualTo(9);
        assertThat(model.matrix().rowOf("old")).isNegative();
        updater.process(new Record<>("old", factors("old", 10, 0.5f), 2_000)); // the item's next step
        assertThat(store.get("old").getVersion()).isEqualTo(10);
        assertThat(model.read("old").factors()).containsOnly(0.5f);
        assertThat(model.matrix().isScorable(model.matrix().rowOf("old"))).isTrue();
        assertThat(model.matrix().modelVersion()).isEqualTo(13);
    }

    /**
     * Live, a record of another size can follow one of the right size while instances of both
     * sizes run side by side during a rolling change: the item's factors are dropped everywhere
     * they were (parameters and matrix), as for an item with no factors yet, and its version kept.
     */
    @Test
    void aLiveRecordOfAnotherSizeDropsTheItemsFactorsUntilOneOfTheRightSizeFollows() {
        final ItemFactorsGlobalUpdater updater = new ItemFactorsGlobalUpdater("item-factors", model);
        updater.init(context);
        model.onCatalogEntry("listed", Item.newBuilder().setItemId("listed").setTitle("Listed").setCategories(List.of())
                .setActive(true).setUpdatedAt(Instant.ofEpochMilli(1_000)).build());
        final int dimensions = config.model().dimensions();
        for (final String item : List.of("a", "listed")) {
            updater.process(new Record<>(item, factors(item, 3, 0.3f), 1_000));
            assertThat(model.read(item).factors()).containsOnly(0.3f);

            updater.process(new Record<>(item, factors(item, 4, 0.4f, dimensions - 1), 2_000));
            assertThat(model.read(item).factors()).as(item)
                    .containsExactly(ItemParameters.initial(item, config.model()).factors());
            assertThat(model.versionOf(item)).isEqualTo(4);
            assertThat(store.get(item).getVersion()).isEqualTo(4);
        }
        final int row = model.matrix().rowOf("a");
        assertThat(model.matrix().isScorable(row)).as("no factors, not ranked").isFalse();
        // A catalog item without factors is ranked with its initial ones at version 0, as before its first step.
        final int listed = model.matrix().rowOf("listed");
        assertThat(model.matrix().isScorable(listed)).isTrue();
        assertThat(model.matrix().factorsAt(listed)).containsExactly(ItemParameters.initial("listed", config.model()).factors());
        assertThat(model.matrix().versionAt(listed)).isZero();
        assertThat(model.matrix().modelVersion()).isZero();

        updater.process(new Record<>("a", factors("a", 5, 0.5f), 3_000));
        assertThat(model.read("a").factors()).containsOnly(0.5f);
        assertThat(model.matrix().isScorable(row)).isTrue();
        assertThat(model.matrix().modelVersion()).isEqualTo(5);
    }

    /**
     * What the item stage goes on from for an item its store has nothing for: the item as its
     * latest record left it, factors as the user stages read them.
     */
    @Test
    void thePublishedStateOfAnItemIsItsLatestRecordWithTheFactorsTheUserStagesRead() {
        final ItemFactorsGlobalUpdater updater = new ItemFactorsGlobalUpdater("item-factors", model);
        updater.init(context);
        final int dimensions = config.model().dimensions();
        final Instant trendingAt = Instant.ofEpochMilli(1_780_000_000_000L);
        updater.process(new Record<>("a", ItemFactors.newBuilder(factors("a", 7, 0.7f)).setBias(0.1f)
                .setInteractionBias(0.2f).setRatingCount(3).setPositiveCount(4).setUpdateCount(9)
                .setTrendingScore(2.5).setTrendingAt(trendingAt).build(), 1_000));
        updater.process(new Record<>("wider", ItemFactors.newBuilder(factors("wider", 12, 0.5f, dimensions + 2))
                .setRatingCount(3).setPositiveCount(6).setUpdateCount(12).build(), 1_000));

        final ItemState a = model.published("a");
        assertThat(a.factors()).containsOnly(0.7f).hasSize(dimensions);
        assertThat(List.of(a.bias(), a.interactionBias())).containsExactly(0.1f, 0.2f);
        assertThat(List.of(a.ratingCount(), a.positiveCount(), a.version(), a.updateCount())).containsExactly(3L, 4L, 7L, 9L);
        assertThat(a.trending()).isEqualTo(new DecayedCount(2.5, trendingAt.toEpochMilli()));

        // A record of another size: the initial factors, as read() answers and the item stage restarts such an item.
        final ItemState wider = model.published("wider");
        assertThat(wider.factors()).containsExactly(ItemParameters.initial("wider", config.model()).factors());
        assertThat(wider.ratingCount()).as("restarts with the factors").isZero();
        assertThat(List.of(wider.positiveCount(), wider.version(), wider.updateCount())).containsExactly(6L, 12L, 12L);

        assertThat(model.published("unknown")).isSameAs(ItemState.EMPTY);
        updater.process(new Record<>("a", null, 2_000));
        assertThat(model.published("a")).as("deleted").isSameAs(ItemState.EMPTY);
    }

    /**
     * Records no item stage writes (a non-finite factor, bias or trending score, a negative count or
     * version), from a hand-made or foreign write to the topic: the compacted topic keeps each until
     * the item's next step, so failing on it at start would stop every instance until then.
     */
    private List<ItemFactors> unusable(final String itemId) {
        final ItemFactors base = factors(itemId, 9, 0.9f);
        final List<Float> nanFactor = new ArrayList<>(base.getFactors());
        nanFactor.set(1, Float.NaN);
        return List.of(
                ItemFactors.newBuilder(base).setFactors(nanFactor).build(),
                ItemFactors.newBuilder(base).setBias(Float.POSITIVE_INFINITY).build(),
                ItemFactors.newBuilder(base).setInteractionBias(Float.NaN).build(),
                ItemFactors.newBuilder(base).setPositiveCount(-1).build(),
                ItemFactors.newBuilder(base).setRatingCount(-5).build(),
                ItemFactors.newBuilder(base).setVersion(-2).build(),
                ItemFactors.newBuilder(base).setTrendingScore(Double.NaN).build(),
                ItemFactors.newBuilder(base).setTrendingScore(-1.0).build(),
                ItemFactors.newBuilder(base).setTrendingScore(1.0).setTrendingAt(Instant.parse("2999-01-01T00:00:00Z")).build(),
                ItemFactors.newBuilder(base).setTrendingScore(1.0).setTrendingAt(Instant.ofEpochMilli(Long.MIN_VALUE)).build());
    }

    @Test
    void unusableRestoredRecordsAreSkippedWithoutFailingTheStart() {
        final List<ItemFactors> bad = unusable("x");
        for (int i = 0; i < bad.size(); i++) {
            store.put("bad-" + i, ItemFactors.newBuilder(bad.get(i)).setItemId("bad-" + i).build());
        }
        store.put("ok", factors("ok", 3, 0.1f));

        new ItemFactorsGlobalUpdater("item-factors", model).init(context);

        assertThat(model.versionOf("ok")).isEqualTo(3);
        for (int i = 0; i < bad.size(); i++) {
            final String item = "bad-" + i;
            assertThat(model.versionOf(item)).as(item + " is as an item with no record").isEqualTo(-1);
            assertThat(model.matrix().rowOf(item)).as(item).isNegative();
            assertThat(model.read(item).factors()).as(item)
                    .containsExactly(ItemParameters.initial(item, config.model()).factors());
        }
        assertThat(model.matrix().modelVersion()).isEqualTo(3);
    }

    @Test
    void anUnusableLiveRecordLeavesTheItemAsItsLastUsableRecordLeftIt() {
        final ItemFactorsGlobalUpdater updater = new ItemFactorsGlobalUpdater("item-factors", model);
        updater.init(context);
        final long now = 1_780_000_000_000L;
        updater.process(new Record<>("a", ItemFactors.newBuilder(factors("a", 5, 0.5f)).setPositiveCount(4)
                .setTrendingScore(3.0).setTrendingAt(Instant.ofEpochMilli(now)).build(), 1_000));

        for (final ItemFactors bad : unusable("a")) {
            updater.process(new Record<>("a", bad, 2_000));

            assertThat(model.versionOf("a")).as(bad.toString()).isEqualTo(5);
            assertThat(model.read("a").factors()).as(bad.toString()).containsOnly(0.5f);
            assertThat(model.matrix().factorsAt(model.matrix().rowOf("a"))).containsOnly(0.5f);
            assertThat(model.trending().scoreAt("a", now)).isCloseTo(3.0, within(1e-9));
        }
        // The item's next usable record (the item stage's next step) is taken as usual.
        updater.process(new Record<>("a", factors("a", 6, 0.6f), 3_000));
        assertThat(model.read("a").factors()).containsOnly(0.6f);
        assertThat(model.versionOf("a")).isEqualTo(6);
    }

    private ItemFactors factors(final String itemId, final long version, final float value) {
        return factors(itemId, version, value, config.model().dimensions());
    }

    private static ItemFactors factors(final String itemId, final long version, final float value, final int size) {
        final List<Float> factors = new ArrayList<>();
        for (int k = 0; k < size; k++) {
            factors.add(value);
        }
        return ItemFactors.newBuilder().setItemId(itemId).setFactors(factors).setVersion(version)
                .setUpdatedAt(Instant.ofEpochMilli(1_000)).build();
    }

    private static KeyValueStore<String, ItemFactors> itemFactorsStore(final MockProcessorContext<Void, Void> context) {
        final KeyValueStore<String, ItemFactors> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("item-factors"), Serdes.String(),
                SpecificAvroSerde.of(ItemFactors.class, Map.of("schema.registry.url", "mock://global-updater-test"), false))
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
