package dev.streamrec.updater.learn;

import static dev.streamrec.updater.TopologyTestSupport.START;
import static dev.streamrec.updater.TopologyTestSupport.click;
import static dev.streamrec.updater.TopologyTestSupport.item;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.schemas.ItemUpdate;
import dev.streamrec.schemas.StepKind;
import dev.streamrec.updater.TopologyTestSupport;
import dev.streamrec.updater.model.DecayedCount;
import dev.streamrec.updater.model.ItemParameters;
import dev.streamrec.updater.topology.Names;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Test;

/**
 * The item stage's store is empty while {@code model.item-factors} still holds the items at high
 * versions: after {@code kafka-streams-application-reset}, or a new {@code application.id} pointed
 * at the existing model topic (both leave the item stage without its changelog, not the model
 * topic). Every instance's global updater rejects a version lower than the one it holds, so the
 * item stage must go on from the published version, and from the published factors the user
 * stages read, or the model stops learning the item until its step count passes that version.
 */
class EmptyItemStageTopologyTest {
    private static final String ITEM = "i0";
    private static final long PUBLISHED_VERSION = 500;
    private static final long PUBLISHED_POSITIVES = 30;
    private static final float PUBLISHED_FACTOR = 0.2f;
    private static final int USERS = 5;
    private static final Instant T = START.minusSeconds(600);

    @Test
    void anItemTheTopicHoldsGoesOnFromItsPublishedVersionAndFactors() {
        try (TopologyTestSupport fx = new TopologyTestSupport(Map.of("recommendations.refresh.interval.ms", "600000"))) {
            for (final String item : List.of(ITEM, "i1", "i2", "i3")) {
                fx.catalog.pipeInput(item, item(item, 10, "books"));
            }
            final DecayedCount publishedTrending = new DecayedCount(5.0, T.toEpochMilli());
            final ItemFactors previousRun = previousRun(fx.config.model().dimensions(), publishedTrending);
            // The driver starts its global store empty; a record piped into the topic goes through
            // the global updater into the store and this instance's model, as a restore would.
            final TestInputTopic<String, ItemFactors> modelTopic = fx.driver.createInputTopic(
                    fx.topics.itemFactors.name(), new StringSerializer(), fx.topics.itemFactors.valueSerde().serializer());
            modelTopic.pipeInput(ITEM, previousRun, T);
            assertThat(fx.model.versionOf(ITEM)).isEqualTo(PUBLISHED_VERSION);

            DecayedCount expectedTrending = publishedTrending;
            for (int u = 0; u < USERS; u++) {
                final Instant at = T.plusSeconds(u + 1);
                fx.clicks.pipeInput("u" + u, click("e" + u, "u" + u, ITEM, at), at);
                expectedTrending = expectedTrending.plus(1.0, at.toEpochMilli(),
                        fx.config.recommendations().trendingHalfLife().toMillis());
            }
            fx.advanceWallClock(Duration.ofSeconds(1)); // a commit: the item stage's cache flushes to the topic

            final List<ItemFactors> published = fx.itemFactors.readValuesToList().stream()
                    .filter(record -> record.getItemId().equals(ITEM)).toList();
            assertThat(published).as("the item stage published the item").isNotEmpty();
            assertThat(published.get(0).getVersion()).as("the first version after the topic's")
                    .isEqualTo(PUBLISHED_VERSION + 1);
            final ItemFactors last = published.get(published.size() - 1);
            assertThat(last.getPositiveCount()).as("the published count, plus the clicks").isEqualTo(PUBLISHED_POSITIVES + USERS);
            assertThat(last.getRatingCount()).as("kept: it sets the rating warm-up").isEqualTo(previousRun.getRatingCount());
            assertThat(last.getUpdateCount() - previousRun.getUpdateCount()).isEqualTo(last.getVersion() - PUBLISHED_VERSION);
            assertThat(last.getTrendingScore()).isEqualTo(expectedTrending.score());
            assertThat(last.getTrendingAt().toEpochMilli()).isEqualTo(expectedTrending.atMillis());

            // This instance took the new factors: the model learns the item again.
            assertThat(fx.model.versionOf(ITEM)).isEqualTo(last.getVersion());
            final float[] learned = fx.model.read(ITEM).factors();
            assertThat(learned).isNotEqualTo(Conversions.floats(previousRun.getFactors()));
            // Warm: a few clicks moved the published factors, they did not start from the initial ones.
            final float[] initial = ItemParameters.initial(ITEM, fx.config.model()).factors();
            assertThat(distance(learned, Conversions.floats(previousRun.getFactors())))
                    .isLessThan(distance(learned, initial));
        }
    }

    /**
     * A first step that is not applied (non-finite, or from a user stage of another rank) must leave
     * the item as published and publish nothing: an empty record at version 0 over version 500
     * (services store records without a version check, and after compaction a restarted item stage
     * would go on from version 0), or the topic's record again at its own version (after a rank
     * change, with initial factors in place of the learned ones).
     */
    @Test
    void aFirstStepThatIsNotAppliedPublishesNothingBelowTheTopicsVersion() {
        try (TopologyTestSupport fx = new TopologyTestSupport(Map.of("recommendations.refresh.interval.ms", "600000"))) {
            final ItemFactors previousRun = previousRun(fx.config.model().dimensions(), new DecayedCount(5.0, T.toEpochMilli()));
            fx.driver.createInputTopic(fx.topics.itemFactors.name(), new StringSerializer(),
                    fx.topics.itemFactors.valueSerde().serializer()).pipeInput(ITEM, previousRun, T);
            final TestInputTopic<String, ItemUpdate> itemSteps = fx.driver.createInputTopic(
                    fx.config.applicationId() + "-" + Names.ITEM_STEPS_TOPIC + "-repartition",
                    new StringSerializer(), fx.topics.itemUpdateSerde.serializer());
            final ItemUpdate nonFinite = ItemUpdate.newBuilder().setItemId(ITEM).setKind(StepKind.INTERACTION)
                    .setUserFactors(Collections.nCopies(fx.config.model().rank(), 0.1f)).setGradientScale(Float.NaN)
                    .setPositive(false).setReadVersion(PUBLISHED_VERSION).build();
            final ItemUpdate otherRank = ItemUpdate.newBuilder(nonFinite).setGradientScale(0.1f)
                    .setUserFactors(Collections.nCopies(fx.config.model().rank() + 1, 0.1f)).build();
            for (final ItemUpdate step : List.of(nonFinite, otherRank)) {
                itemSteps.pipeInput(ITEM, step, T);
                fx.advanceWallClock(Duration.ofSeconds(1));

                assertThat(fx.itemFactors.readValuesToList()).as("nothing is news after %s", step).isEmpty();
                assertThat(fx.model.versionOf(ITEM)).isEqualTo(PUBLISHED_VERSION);
                assertThat(fx.model.read(ITEM).factors()).containsOnly(PUBLISHED_FACTOR);
            }
        }
    }

    /**
     * The store holds the item, but at a lower version than the topic (a changelog write lost under
     * at-least-once, a state directory of an older run): going on from the stored version, every
     * record would be rejected by the global updaters until the step count passed the topic's.
     */
    @Test
    void aStoreBehindTheTopicGoesOnFromThePublishedVersion() {
        try (TopologyTestSupport fx = new TopologyTestSupport(Map.of("recommendations.refresh.interval.ms", "600000"))) {
            fx.catalog.pipeInput(ITEM, item(ITEM, 10, "books"));
            fx.clicks.pipeInput("u0", click("e0", "u0", ITEM, T), T);
            fx.advanceWallClock(Duration.ofSeconds(1));
            final long stored = fx.model.versionOf(ITEM);
            assertThat(stored).as("the store holds the item").isPositive().isLessThan(PUBLISHED_VERSION);

            fx.driver.createInputTopic(fx.topics.itemFactors.name(), new StringSerializer(),
                    fx.topics.itemFactors.valueSerde().serializer())
                    .pipeInput(ITEM, previousRun(fx.config.model().dimensions(), DecayedCount.NONE), T);
            fx.itemFactors.readValuesToList();
            final Instant later = T.plusSeconds(1);
            fx.clicks.pipeInput("u1", click("e1", "u1", ITEM, later), later);
            fx.advanceWallClock(Duration.ofSeconds(1));

            final List<ItemFactors> published = fx.itemFactors.readValuesToList().stream()
                    .filter(record -> record.getItemId().equals(ITEM)).toList();
            assertThat(published).isNotEmpty();
            assertThat(published.get(0).getVersion()).as("the first version after the topic's, not the store's")
                    .isEqualTo(PUBLISHED_VERSION + 1);
            assertThat(fx.model.versionOf(ITEM)).as("taken by this instance").isEqualTo(published.get(published.size() - 1).getVersion());
        }
    }

    /** The item as a previous run of the application left it on {@code model.item-factors}. */
    private static ItemFactors previousRun(final int dimensions, final DecayedCount trending) {
        return ItemFactors.newBuilder().setItemId(ITEM)
                .setFactors(Collections.nCopies(dimensions, PUBLISHED_FACTOR))
                .setBias(0.1f).setInteractionBias(0.3f).setRatingCount(7).setPositiveCount(PUBLISHED_POSITIVES)
                .setVersion(PUBLISHED_VERSION).setUpdateCount(PUBLISHED_VERSION).setUpdatedAt(T)
                .setTrendingScore(trending.score()).setTrendingAt(Instant.ofEpochMilli(trending.atMillis()))
                .build();
    }

    private static double distance(final float[] a, final float[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            final double d = a[k] - b[k];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
