package dev.streamrec.updater.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.serde.SpecificAvroSerde;
import dev.streamrec.updater.ProfileUpdaterTopology;
import dev.streamrec.updater.TopologyTestSupport;
import dev.streamrec.updater.ranking.TrendingItems.TrendingItem;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * An instance that starts (a restart, or one added later) rebuilds its trending items from the
 * compacted {@code model.item-factors} alone, and must rank them as the instance that saw the
 * stream live does: trending is a decayed count, so an item with a large lifetime count and no
 * recent positives must not top it after a restore.
 */
class TrendingRestoreTest {
    private static final Duration HALF_LIFE = Duration.ofHours(6);
    private static final Instant NOW = TopologyTestSupport.START;

    @Test
    void aModelRestoredFromTheTopicRanksTrendingItemsAsTheLiveModelDoes() {
        try (TopologyTestSupport fx = new TopologyTestSupport(Map.of(
                "recommendations.trending.half.life.ms", String.valueOf(HALF_LIFE.toMillis()),
                "recommendations.refresh.interval.ms", "600000"))) {
            for (final String item : List.of("old-hit", "new-hit", "steady")) {
                fx.catalog.pipeInput(item, TopologyTestSupport.item(item, 10.0, "books"));
            }
            int event = 0;
            // An all-time hit: many positives, all 12 half-lives ago.
            final Instant long_ago = NOW.minus(HALF_LIFE.multipliedBy(12));
            for (int u = 0; u < 40; u++) {
                click(fx, event++, "a" + u, "old-hit", long_ago.plusSeconds(u));
            }
            // One positive every half-life: about 2 by now.
            for (int h = 11; h >= 0; h--) {
                click(fx, event++, "b" + h, "steady", NOW.minus(HALF_LIFE.multipliedBy(h)));
            }
            // What is trending now: a few positives within the last hour.
            for (int u = 0; u < 4; u++) {
                click(fx, event++, "c" + u, "new-hit", NOW.minus(Duration.ofMinutes(60 - u)));
            }
            fx.advanceWallClock(Duration.ofSeconds(1));

            final List<TrendingItem> live = fx.model.trending().top(3, NOW.toEpochMilli(), Set.of(), Set.of());
            assertThat(live).extracting(TrendingItem::itemId).containsExactly("new-hit", "steady", "old-hit");

            final ItemModel restored = restoredFrom(fx);
            final List<TrendingItem> rebuilt = restored.trending().top(3, NOW.toEpochMilli(), Set.of(), Set.of());
            assertThat(rebuilt).extracting(TrendingItem::itemId).containsExactly("new-hit", "steady", "old-hit");
            for (int i = 0; i < live.size(); i++) {
                assertThat(rebuilt.get(i).score()).as(live.get(i).itemId())
                        .isCloseTo(live.get(i).score(), within(1e-6 * Math.max(1, live.get(i).score())));
            }
        }
    }

    private static void click(final TopologyTestSupport fx, final int event, final String user, final String item,
                              final Instant time) {
        fx.clicks.pipeInput(user, TopologyTestSupport.click("e" + event, user, item, time), time);
    }

    /** A new instance's model, rebuilt from what the compacted topic keeps: the latest record per item. */
    private static ItemModel restoredFrom(final TopologyTestSupport fx) {
        final Map<String, ItemFactors> latest = new LinkedHashMap<>();
        for (final TestRecord<String, ItemFactors> record : fx.itemFactors.readRecordsToList()) {
            latest.put(record.key(), record.value());
        }
        final MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
        final KeyValueStore<String, ItemFactors> store = Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("item-factors"), Serdes.String(),
                SpecificAvroSerde.of(ItemFactors.class, Map.of("schema.registry.url", "mock://" + fx.scope), false))
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        latest.forEach(store::put);
        final ItemModel model = ProfileUpdaterTopology.newItemModel(fx.config);
        new ItemFactorsGlobalUpdater("item-factors", model).init(context);
        return model;
    }
}
