package dev.streamrec.updater.learn;

import static dev.streamrec.updater.TopologyTestSupport.START;
import static dev.streamrec.updater.TopologyTestSupport.click;
import static dev.streamrec.updater.TopologyTestSupport.item;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.updater.TopologyTestSupport;
import dev.streamrec.updater.errors.DeadLetters;
import dev.streamrec.updater.model.DecayedCount;
import dev.streamrec.updater.model.Hyperparameters;
import dev.streamrec.updater.topology.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * A restart with another {@code model.rank}, through the real topology: the compacted
 * {@code model.item-factors} and the item stage's store still hold every item at the old rank.
 * The instance must start on them, go on recommending, and each item must publish factors of the
 * new rank at its next step, at a version every instance accepts.
 */
class RankChangeTopologyTest {
    private static final int OLD_RANK = 4;
    private static final int NEW_RANK = 6;
    private static final long OLD_VERSION = 50;
    private static final Instant T = START.minusSeconds(600);
    private static final List<String> ITEMS = List.of("i0", "i1", "i2", "i3", "i4", "i5", "i6", "i7");

    @Test
    void itemsOfTheOldRankRelearnAtTheirNextStepWithoutStoppingTheApplication() {
        try (TopologyTestSupport fx = new TopologyTestSupport(Map.of("model.rank", String.valueOf(NEW_RANK),
                "recommendations.size", "5", "recommendations.refresh.interval.ms", "200",
                "recommendations.min.user.interval.ms", "1000"))) {
            final Hyperparameters now = fx.config.model();
            final int oldDimensions = now.toBuilder().rank(OLD_RANK).build().dimensions();
            for (final String item : ITEMS) {
                fx.catalog.pipeInput(item, item(item, 10, "books"));
            }
            storedAtTheOldRank(fx, oldDimensions);

            for (int u = 0; u < 6; u++) {
                for (int i = 0; i <= u; i++) {
                    final String user = "u" + u;
                    fx.clicks.pipeInput(user, click(user + "-" + i, user, ITEMS.get(i), T.plusSeconds(i)), T.plusSeconds(i));
                }
            }
            fx.advanceWallClock(Duration.ofSeconds(2));

            assertThat(fx.deadLetters.readRecordsToList()).as("steps that failed")
                    .extracting(record -> DeadLetters.header(record.headers(), DeadLetters.EXCEPTION) + ": "
                            + DeadLetters.header(record.headers(), DeadLetters.MESSAGE))
                    .isEmpty();
            final Map<String, Recommendations> lists = new LinkedHashMap<>();
            fx.recommendations.readRecordsToList().forEach(record -> lists.put(record.key(), record.value()));
            assertThat(lists).containsKeys("u0", "u5");
            assertThat(lists.get("u5").getItems()).isNotEmpty();

            final Map<String, ItemFactors> published = new LinkedHashMap<>();
            for (final TestRecord<String, ItemFactors> record : fx.itemFactors.readRecordsToList()) {
                published.put(record.key(), record.value());
            }
            assertThat(published).containsKey("i0");
            assertThat(published.values()).allSatisfy(record -> {
                assertThat(record.getFactors()).as(record.getItemId()).hasSize(now.dimensions());
                assertThat(record.getVersion()).as(record.getItemId()).isGreaterThan(OLD_VERSION);
            });
            assertThat(published.get("i0").getPositiveCount()).as("kept from before the change, plus u0-u5")
                    .isEqualTo(20 + 6);
            // This instance read them back: the learned factors are ranked at their new versions.
            final int row = fx.model.matrix().rowOf("i0");
            assertThat(fx.model.versionOf("i0")).isEqualTo(published.get("i0").getVersion());
            assertThat(fx.model.matrix().versionAt(row)).isEqualTo(published.get("i0").getVersion());
        }
    }

    /**
     * Every item as the previous run left it, version {@value #OLD_VERSION}, 20 positives, factors
     * of the old rank: in the item stage's store, which its changelog restores, and on
     * {@code model.item-factors}, which the global store replays. The driver restores neither, so
     * the states are written to the store and its record cache then sends them through the
     * publisher to the topic, as the previous run did.
     */
    private static void storedAtTheOldRank(final TopologyTestSupport fx, final int oldDimensions) {
        final KeyValueStore<String, ValueAndTimestamp<ItemState>> stage =
                fx.driver.getTimestampedKeyValueStore(Names.ITEM_FACTORS_STORE);
        for (final String item : ITEMS) {
            final float[] factors = new float[oldDimensions];
            Arrays.fill(factors, 0.2f);
            stage.put(item, ValueAndTimestamp.make(new ItemState(factors, 0.1f, 0.3f, 0L, 20L, OLD_VERSION, OLD_VERSION,
                    T.toEpochMilli(), new DecayedCount(20.0, T.toEpochMilli())), T.toEpochMilli()));
        }
        fx.advanceWallClock(Duration.ofSeconds(1)); // punctuations, then a commit: the cache flushes
        assertThat(fx.itemFactors.readValuesToList()).hasSize(ITEMS.size()).allSatisfy(record -> {
            assertThat(record.getVersion()).isEqualTo(OLD_VERSION);
            assertThat(record.getFactors()).hasSize(oldDimensions);
        });
    }
}
