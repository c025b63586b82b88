package dev.streamrec.updater.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.updater.model.DecayedCount;
import dev.streamrec.updater.TopologyTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The item stage's publisher merges an item's changes within an interval into one record at the
 * latest version, and after a restart republishes what its store holds and the topic does not.
 */
class ItemFactorsPublisherTest {
    private static final String STORE = "item-factors-store";
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final MockProcessorContext<String, ItemFactors> context = new MockProcessorContext<>();
    private final TimestampedKeyValueStore<String, ItemState> store = itemStore(context);
    /** The versions this instance's global copy holds (ItemModel#versionOf in the topology). */
    private final Map<String, Long> published = new HashMap<>();

    @Test
    void changesToAnItemWithinAnIntervalArePublishedOnceAtTheirLatestVersion() {
        final ItemFactorsPublisher publisher = publisher(INTERVAL);
        publisher.process(new Record<>("a", state(1, 0.1f), 1_000));
        publisher.process(new Record<>("b", state(1, 0.2f), 1_050));
        publisher.process(new Record<>("a", state(2, 0.3f), 1_100));
        publisher.process(new Record<>("a", state(3, 0.4f), 1_200));
        assertThat(context.forwarded()).isEmpty();
        assertThat(publisher.waitingCount()).isEqualTo(2);

        punctuate();

        final Map<String, Record<String, ItemFactors>> byItem = forwardedByItem();
        assertThat(context.forwarded()).hasSize(2);
        assertThat(byItem.get("a").value().getVersion()).isEqualTo(3);
        assertThat(byItem.get("a").value().getFactors().get(0)).isEqualTo(0.4f);
        assertThat(byItem.get("a").value().getItemId()).isEqualTo("a");
        assertThat(byItem.get("a").timestamp()).isEqualTo(1_200); // the latest change's time
        assertThat(byItem.get("b").value().getVersion()).isEqualTo(1);
        assertThat(publisher.waitingCount()).isZero();

        context.resetForwards();
        punctuate(); // nothing changed since: nothing is sent again
        assertThat(context.forwarded()).isEmpty();
    }

    @Test
    void theIntervalIsAWallClockPunctuation() {
        publisher(INTERVAL);
        final CapturedPunctuator punctuator = context.scheduledPunctuators().get(0);
        assertThat(context.scheduledPunctuators()).hasSize(1);
        assertThat(punctuator.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
        assertThat(punctuator.getInterval()).isEqualTo(INTERVAL);
    }

    @Test
    void aZeroIntervalPublishesEveryChangeAtOnce() {
        final ItemFactorsPublisher publisher = publisher(Duration.ZERO);
        assertThat(context.scheduledPunctuators()).isEmpty();

        publisher.process(new Record<>("a", state(1, 0.1f), 1_000));
        publisher.process(new Record<>("a", state(2, 0.2f), 1_100));

        assertThat(context.forwarded()).extracting(f -> f.record().value().getVersion()).containsExactly(1L, 2L);
        assertThat(publisher.waitingCount()).isZero();
    }

    @Test
    void atStartItemsTheTopicIsBehindOnArePublishedAndNoOthers() {
        store.put("current", ValueAndTimestamp.make(state(5, 0.5f), 500));
        published.put("current", 5L);
        store.put("behind", ValueAndTimestamp.make(state(7, 0.7f), 700));
        published.put("behind", 3L); // applied steps whose record was waiting when the task closed
        store.put("never-published", ValueAndTimestamp.make(state(2, 0.2f), 200));
        store.put("nothing-learned", ValueAndTimestamp.make(ItemState.EMPTY, 100));

        final ItemFactorsPublisher publisher = publisher(INTERVAL);
        assertThat(context.forwarded()).isEmpty(); // merged with what comes next, like any change
        assertThat(publisher.waitingCount()).isEqualTo(2);
        punctuate();

        final Map<String, Record<String, ItemFactors>> byItem = forwardedByItem();
        assertThat(byItem).containsOnlyKeys("behind", "never-published");
        assertThat(byItem.get("behind").value().getVersion()).isEqualTo(7);
        assertThat(byItem.get("behind").timestamp()).isEqualTo(700);
        assertThat(byItem.get("never-published").value().getVersion()).isEqualTo(2);
    }

    @Test
    void withAZeroIntervalWhatTheStartFindsIsPublishedAtTheFirstPunctuationOnce() {
        store.put("behind", ValueAndTimestamp.make(state(7, 0.7f), 700));
        publisher(Duration.ZERO);
        assertThat(context.forwarded()).as("nothing is forwarded from init()").isEmpty();
        final CapturedPunctuator startUp = context.scheduledPunctuators().get(0);
        assertThat(startUp.getInterval()).isEqualTo(ItemFactorsPublisher.START_UP_DELAY);

        punctuate();

        assertThat(forwardedByItem()).containsOnlyKeys("behind");
        assertThat(startUp.cancelled()).as("a one-off").isTrue();
    }

    @Test
    void withAZeroIntervalAChangeSupersedesWhatTheStartFoundForItsItem() {
        store.put("behind", ValueAndTimestamp.make(state(7, 0.7f), 700));
        final ItemFactorsPublisher publisher = publisher(Duration.ZERO);
        publisher.process(new Record<>("behind", state(8, 0.8f), 800));
        punctuate();

        assertThat(context.forwarded()).extracting(f -> f.record().value().getVersion()).containsExactly(8L);
    }

    @Test
    void throughTheTopologyAnItemIsPublishedOncePerIntervalAndReachesTheModel() {
        // Ratings only and no interaction loss: one item step per event, none to sampled negatives.
        try (TopologyTestSupport fx = new TopologyTestSupport(Map.of("item.factors.publish.interval.ms", "1000",
                "model.rating.interaction.weight", "0", "validation.rating.step", "0"))) {
            final Instant time = TopologyTestSupport.START;
            for (int u = 0; u < 5; u++) {
                fx.ratings.pipeInput("u" + u, TopologyTestSupport.rating("a" + u, "u" + u, "i1", time, 4), time);
            }
            for (int u = 0; u < 2; u++) {
                fx.ratings.pipeInput("u" + u, TopologyTestSupport.rating("b" + u, "u" + u, "i2", time, 2), time);
            }
            assertThat(fx.itemFactors.isEmpty()).as("nothing published before the interval").isTrue();

            fx.advanceWallClock(INTERVAL);

            final Map<String, ItemFactors> published = new HashMap<>();
            for (final TestRecord<String, ItemFactors> record : fx.itemFactors.readRecordsToList()) {
                assertThat(published.put(record.key(), record.value())).as("one record per item").isNull();
            }
            assertThat(published).containsOnlyKeys("i1", "i2");
            assertThat(published.get("i1").getVersion()).isEqualTo(5);
            assertThat(published.get("i2").getVersion()).isEqualTo(2);
            assertThat(fx.model.versionOf("i1")).as("the instance's model read it back").isEqualTo(5);
        }
    }

    @Test
    void aNegativeIntervalIsRejected() {
        assertThatThrownBy(() -> new ItemFactorsPublisher(STORE, Duration.ofMillis(-1), item -> -1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
    }

    private ItemFactorsPublisher publisher(final Duration interval) {
        final ItemFactorsPublisher publisher = new ItemFactorsPublisher(STORE, interval,
                item -> published.getOrDefault(item, -1L));
        publisher.init(context);
        return publisher;
    }

    private void punctuate() {
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(0L);
    }

    private Map<String, Record<String, ItemFactors>> forwardedByItem() {
        final Map<String, Record<String, ItemFactors>> byItem = new HashMap<>();
        for (final CapturedForward<? extends String, ? extends ItemFactors> forward : context.forwarded()) {
            assertThat(byItem.put(forward.record().key(), new Record<>(forward.record().key(), forward.record().value(),
                    forward.record().timestamp()))).as("one record per item").isNull();
        }
        return byItem;
    }

    private static ItemState state(final long version, final float firstFactor) {
        return new ItemState(new float[] {firstFactor, 0f}, 0.1f, 0.2f, version, version, version, version, 1_000L * version,
                new DecayedCount(version, 1_000L * version));
    }

    private static TimestampedKeyValueStore<String, ItemState> itemStore(final MockProcessorContext<String, ItemFactors> context) {
        final TimestampedKeyValueStore<String, ItemState> store = Stores.timestampedKeyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(STORE), Serdes.String(), new ItemStateSerde(null))
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return store;
    }
}
