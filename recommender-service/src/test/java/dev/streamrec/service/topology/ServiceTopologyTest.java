package dev.streamrec.service.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.schemas.ModelMetrics;
import dev.streamrec.schemas.RecommendedItem;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.service.config.ServiceConfig;
import dev.streamrec.service.items.MatrixItemVectors;
import dev.streamrec.service.items.ScoredItem;
import dev.streamrec.service.quality.ModelQuality;
import dev.streamrec.updater.topology.TopicSpec;
import dev.streamrec.updater.topology.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceTopologyTest {
    @TempDir
    Path stateDir;

    private ServiceConfig config;
    private Topics topics;
    private MatrixItemVectors items;
    private ModelQuality quality;
    private TopologyTestDriver driver;

    @BeforeEach
    void start() {
        config = ServiceConfig.of(Map.of("schema.registry.url", "mock://service-topology-" + UUID.randomUUID(),
                "state.dir", stateDir.toString(), "application.id", "service-topology-test",
                // Item vectors of two floats, as the records below.
                "model.rank", "2", "model.sharing", "shared"));
        topics = new Topics(config.topics(), config.serdeConfig());
        items = new MatrixItemVectors(config.itemDimensions(), 0, config.trendingHalfLife());
        quality = new ModelQuality();
        driver = new TopologyTestDriver(ServiceTopology.build(config, items, quality), config.streamsProperties());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private <V> TestInputTopic<String, V> input(final TopicSpec<String, V> spec) {
        return driver.createInputTopic(spec.name(), spec.keySerde().serializer(), spec.valueSerde().serializer());
    }

    @Test
    void recommendationsAndProfilesLandInTheirPartitionedStores() {
        final Recommendations recs = Recommendations.newBuilder().setUserId("u1")
                .setItems(List.of(new RecommendedItem("i1", 0.9, "mf"))).setStrategy("mf").setModelVersion(7)
                .setGeneratedAt(Instant.ofEpochMilli(1_000)).setTriggerIngestTime(Instant.ofEpochMilli(900)).build();
        input(topics.recommendations).pipeInput("u1", recs);
        input(topics.profiles).pipeInput("u1", UserProfile.newBuilder().setUserId("u1").setClickCount(3).build());

        final KeyValueStore<String, Recommendations> recStore = driver.getKeyValueStore(ServiceStores.RECOMMENDATIONS);
        final KeyValueStore<String, UserProfile> profileStore = driver.getKeyValueStore(ServiceStores.PROFILES);
        assertThat(recStore.get("u1")).isEqualTo(recs);
        assertThat(profileStore.get("u1").getClickCount()).isEqualTo(3);

        input(topics.recommendations).pipeInput("u1", null);
        assertThat(recStore.get("u1")).isNull();
    }

    @Test
    void itemFactorsFeedTheGlobalStoreAndTheSimilarityIndex() {
        final TestInputTopic<String, ItemFactors> factors = input(topics.itemFactors);
        factors.pipeInput("a", factors("a", 1f, 0f));
        factors.pipeInput("b", factors("b", 2f, 0.1f));
        factors.pipeInput("c", factors("c", 0f, 1f));
        assertThat(items.similar("a", 1).orElseThrow()).extracting(ScoredItem::itemId).containsExactly("b");
        assertThat(driver.<String, ItemFactors>getKeyValueStore(ServiceStores.ITEM_FACTORS).get("c")).isNotNull();

        factors.pipeInput("b", null);
        assertThat(items.similar("a", 1).orElseThrow()).extracting(ScoredItem::itemId).containsExactly("c");
        assertThat(driver.<String, ItemFactors>getKeyValueStore(ServiceStores.ITEM_FACTORS).get("b")).isNull();
    }

    /**
     * A record no item stage writes (here a NaN factor, then a negative count), from a hand-made or
     * foreign write to the topic: neither the index nor the store takes it, the item stays as its
     * last usable record left it, and the global thread goes on with the next record.
     */
    @Test
    void anUnusableItemRecordIsNeitherIndexedNorStored() {
        final TestInputTopic<String, ItemFactors> factors = input(topics.itemFactors);
        factors.pipeInput("a", factors("a", 1f, 0f));
        factors.pipeInput("b", factors("b", 2f, 0.1f));
        factors.pipeInput("b", factors("b", Float.NaN, 1f));
        factors.pipeInput("b", ItemFactors.newBuilder(factors("b", 0f, 1f)).setPositiveCount(-3).build());
        factors.pipeInput("c", factors("c", 0f, 1f));

        assertThat(items.similar("a", 2).orElseThrow()).extracting(ScoredItem::itemId).containsExactly("b", "c");
        assertThat(driver.<String, ItemFactors>getKeyValueStore(ServiceStores.ITEM_FACTORS).get("b").getFactors())
                .containsExactly(2f, 0.1f);
    }

    /**
     * After a {@code model.rank} change the topic holds vectors of both sizes until every item has
     * stepped again, in no particular order: one of the old size read first must not decide the
     * size, or every vector of the configured size is skipped and no item has similar items.
     */
    @Test
    void anItemVectorOfAnotherSizeReadFirstDoesNotSetTheSize() {
        final TestInputTopic<String, ItemFactors> factors = input(topics.itemFactors);
        factors.pipeInput("old-size", factors("old-size", 1f, 0f, 0f));
        factors.pipeInput("a", factors("a", 1f, 0f));
        factors.pipeInput("b", factors("b", 2f, 0.1f));
        factors.pipeInput("c", factors("c", 0f, 1f));
        assertThat(items.similar("a", 5)).as("similar items of a vector of the configured size")
                .hasValueSatisfying(similar -> assertThat(similar).extracting(ScoredItem::itemId)
                        .containsExactly("b", "c"));
        assertThat(items.similar("old-size", 5)).as("the old-size vector is skipped").isEmpty();
        assertThat(items.popular(5)).extracting(ScoredItem::itemId).contains("old-size");
    }

    /**
     * Kafka Streams initialises a global store's processor before restoring the topic through it,
     * so the processor must not be what says the index is complete; the state listener does, once
     * Kafka Streams is RUNNING.
     */
    @Test
    void itemVectorsAreLoadedOnlyOnceKafkaStreamsRuns() {
        input(topics.itemFactors).pipeInput("a", factors("a", 1f, 0f));
        assertThat(items.loaded()).as("the processor was initialised and fed, but Streams is not running").isFalse();

        final ItemVectorsLoadedListener listener = new ItemVectorsLoadedListener(items);
        listener.onChange(KafkaStreams.State.REBALANCING, KafkaStreams.State.CREATED);
        assertThat(items.loaded()).isFalse();
        listener.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
        assertThat(items.loaded()).isTrue();
        listener.onChange(KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);
        assertThat(items.loaded()).as("a later rebalance does not empty the index").isTrue();
    }

    @Test
    void modelMetricsFeedTheQualityAggregate() {
        input(topics.metrics).pipeInput("0_0", ModelMetrics.newBuilder().setTaskId("0_0")
                .setEmittedAt(Instant.ofEpochMilli(5)).setRatingsScored(10).setRmse(0.8).build());
        assertThat(quality.tasks()).isEqualTo(1);
        assertThat(quality.rmse()).isEqualTo(0.8);
    }

    /**
     * An item the catalogue withdrew ({@code active=false}, or deleted) is never scored by the
     * updater and must not be offered by the service either: not in the cold-start list, not as
     * anyone's similar item. It keeps its own similar items (it is known), and comes back when the
     * catalogue lists it as active again.
     */
    @Test
    void itemsTheCatalogueWithdrewLeaveThePopularAndSimilarLists() {
        final TestInputTopic<String, ItemFactors> model = input(topics.itemFactors);
        model.pipeInput("a", popularFactors("a", 9, 1f, 0f));
        model.pipeInput("withdrawn", popularFactors("withdrawn", 5, 1f, 0.1f));
        model.pipeInput("deleted", popularFactors("deleted", 3, 1f, 0.2f));
        assertThat(items.popular(5)).extracting(ScoredItem::itemId).containsExactly("a", "withdrawn", "deleted");

        final TestInputTopic<String, Item> catalog = input(topics.catalog);
        catalog.pipeInput("withdrawn", catalogItem("withdrawn", false));
        catalog.pipeInput("deleted", catalogItem("deleted", true));
        catalog.pipeInput("deleted", null);
        assertThat(items.popular(5)).extracting(ScoredItem::itemId).containsExactly("a");
        assertThat(items.similar("a", 5).orElseThrow()).isEmpty();
        assertThat(items.similar("withdrawn", 5).orElseThrow()).extracting(ScoredItem::itemId).containsExactly("a");

        catalog.pipeInput("withdrawn", catalogItem("withdrawn", true));
        assertThat(items.popular(5)).extracting(ScoredItem::itemId).containsExactly("a", "withdrawn");
        assertThat(items.similar("a", 5).orElseThrow()).extracting(ScoredItem::itemId).containsExactly("withdrawn");
    }

    private static ItemFactors popularFactors(final String id, final long positives, final Float... values) {
        return ItemFactors.newBuilder(factors(id, values)).setPositiveCount(positives).build();
    }

    private static Item catalogItem(final String id, final boolean active) {
        return Item.newBuilder().setItemId(id).setTitle(id).setCategories(List.of("c")).setPrice(null)
                .setActive(active).setUpdatedAt(Instant.EPOCH).build();
    }

    private static ItemFactors factors(final String id, final Float... values) {
        return ItemFactors.newBuilder().setItemId(id).setFactors(List.of(values)).setVersion(1).setUpdateCount(1)
                .setUpdatedAt(Instant.EPOCH).build();
    }

    /**
     * Store and processor names are part of running deployments (state directories, metadata);
     * this fails when the topology's shape changes so that the change is made on purpose. After a
     * deliberate change, copy {@code target/topology-snapshot.actual.txt} over {@code topology-snapshot.txt}.
     */
    @Test
    void topologyMatchesTheCheckedInSnapshot() throws IOException {
        final Topology topology = ServiceTopology.build(config,
                new MatrixItemVectors(config.itemDimensions(), 0, config.trendingHalfLife()), new ModelQuality());
        final String actual = topology.describe().toString().strip();
        try (InputStream in = getClass().getResourceAsStream("/topology-snapshot.txt")) {
            assertThat(in).as("topology-snapshot.txt on the test classpath").isNotNull();
            final String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!actual.equals(expected)) {
                Files.writeString(Path.of("target", "topology-snapshot.actual.txt"), actual + "\n");
            }
            assertThat(actual).as("topology description; if intended, update topology-snapshot.txt to:%n%s", actual)
                    .isEqualTo(expected);
        }
    }
}
