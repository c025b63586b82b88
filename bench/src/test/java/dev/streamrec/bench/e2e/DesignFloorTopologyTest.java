package dev.streamrec.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The design's floor writes, per event, what the updater writes (a stored and a published profile,
 * lists and item steps as often and as large as asked), and its item stage applies the steps to
 * the items they name and publishes them into the global store.
 */
class DesignFloorTopologyTest {
    private static final byte[] USER = "u7".getBytes(StandardCharsets.UTF_8);

    private final Topics topics = new Topics(UpdaterConfig.of(Map.of("schema.registry.url", "mock://design-floor-test")));

    @Test
    void eachEventRewritesTheUsersStateAndPublishesAProfileAndAListOfTheUpdatersSizes() {
        final DesignFloorRun.Shape shape = new DesignFloorRun.Shape(800, 600, 1.0, 500, 0, 170, 250, 10);
        try (TopologyTestDriver driver = driver(shape)) {
            final TestInputTopic<byte[], byte[]> clicks = input(driver, topics.clicks.name());
            clicks.pipeInput(USER, new byte[] {1});
            input(driver, topics.ratings.name()).pipeInput(USER, new byte[] {2});

            final KeyValueStore<byte[], byte[]> users = driver.getKeyValueStore(DesignFloorRun.USER_STORE);
            assertThat(users.get(USER)).hasSize(800).startsWith(2);
            assertThat(output(driver, topics.profiles.name())).hasSize(2)
                    .allSatisfy(profile -> assertThat(profile.value).hasSize(600));
            assertThat(output(driver, topics.recommendations.name())).hasSize(2)
                    .allSatisfy(list -> assertThat(list.value).hasSize(500));
            assertThat(output(driver, topics.itemFactors.name())).isEmpty();
        }
    }

    @Test
    void theItemStageAppliesEveryStepToItsItemAndTheGlobalStoreKeepsTheLatest() {
        // Three steps per event, all to the catalogue's one item. The driver commits after each
        // record, the repartitioned ones too, so each step's result is published (on a broker the
        // record cache collapses an item's steps of one commit interval into one record).
        final DesignFloorRun.Shape shape = new DesignFloorRun.Shape(100, 100, 0.0, 100, 3, 50, 250, 1);
        try (TopologyTestDriver driver = driver(shape)) {
            input(driver, topics.clicks.name()).pipeInput(USER, new byte[] {1});

            final List<KeyValue<byte[], byte[]>> items = output(driver, topics.itemFactors.name());
            assertThat(items).hasSize(3).allSatisfy(item -> {
                assertThat(new String(item.key, StandardCharsets.UTF_8)).isEqualTo("item-0");
                assertThat(item.value).hasSize(250);
            });
            assertThat(items).extracting(item -> item.value[0]).containsExactly((byte) 1, (byte) 2, (byte) 3);
            assertThat(output(driver, topics.recommendations.name())).isEmpty();
            final KeyValueStore<byte[], byte[]> global = driver.getKeyValueStore(DesignFloorRun.ITEM_GLOBAL_STORE);
            assertThat(global.get(items.get(2).key)).isEqualTo(items.get(2).value);
        }
    }

    @Test
    void fractionalCountsAreMetOnAverage() {
        // 0.5 lists and 2.25 steps per event over 2,000 events: ~1,000 lists, ~4,500 steps.
        final DesignFloorRun.Shape shape = new DesignFloorRun.Shape(100, 100, 0.5, 100, 2.25, 50, 60, 100_000);
        try (TopologyTestDriver driver = driver(shape)) {
            final TestInputTopic<byte[], byte[]> clicks = input(driver, topics.clicks.name());
            for (int e = 0; e < 2_000; e++) {
                clicks.pipeInput(("u" + e).getBytes(StandardCharsets.UTF_8), new byte[] {1});
            }
            assertThat(output(driver, topics.recommendations.name()).size()).isBetween(900, 1_100);
            // Every step is published (the driver commits after each record).
            assertThat(output(driver, topics.itemFactors.name()).size()).isBetween(4_300, 4_700);
        }
    }

    @Test
    void takesItsShapeFromWhatTheUpdaterAppended() {
        final Map<String, Long> offsets = Map.of("-profile-store-changelog", 1_000L, ".profiles", 1_000L,
                ".recommendations", 950L, "-item-steps-repartition", 3_190L, "-item-factors-store-changelog", 780L);
        final Map<String, Long> bytes = Map.of("-profile-store-changelog", 808_000L, ".profiles", 622_000L,
                ".recommendations", 588_000L, "-item-steps-repartition", 542_300L, "-item-factors-store-changelog", 195_000L);

        final DesignFloorRun.Shape shape = DesignFloorRun.Shape.of(Runs.appended(1_000, offsets, bytes), 10_000);

        assertThat(shape).isEqualTo(new DesignFloorRun.Shape(808, 622, 0.95, 619, 3.19, 170, 250, 10_000));
        assertThatThrownBy(() -> DesignFloorRun.Shape.of(Runs.appended(1_000, Map.of(), Map.of()), 10))
                .hasMessageContaining("profile-store-changelog");
    }

    private static TestInputTopic<byte[], byte[]> input(final TopologyTestDriver driver, final String topic) {
        return driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static List<KeyValue<byte[], byte[]>> output(final TopologyTestDriver driver, final String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readKeyValuesToList();
    }

    private TopologyTestDriver driver(final DesignFloorRun.Shape shape) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "design-floor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new TopologyTestDriver(DesignFloorRun.topology(topics, shape, 42), props);
    }
}
