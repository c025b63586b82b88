package dev.streamrec.updater.learn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.ItemUpdate;
import dev.streamrec.schemas.ModelMetrics;
import dev.streamrec.schemas.StepKind;
import dev.streamrec.updater.TopologyTestSupport;
import dev.streamrec.updater.model.Hyperparameters;
import dev.streamrec.updater.topology.Names;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/**
 * The item stage's discarded steps are counted per instance (per topology built); summed over the
 * instance's tasks' reports, once.
 */
class DiscardedStepsMetricTest {
    private static final Duration METRICS = Duration.ofSeconds(1);

    @Test
    void anItemSideDiscardIsReportedByOneTaskNotByEvery() {
        try (UserStageHarness first = new UserStageHarness(new TaskId(0, 0));
             UserStageHarness second = new UserStageHarness(new TaskId(0, 1), first.itemStage)) {
            first.startInstance();
            second.startInstance();
            first.publishMetricsAt(7);
            second.publishMetricsAt(7);
            final long before = first.lastMetrics().getDiscardedSteps() + second.lastMetrics().getDiscardedSteps();

            final Hyperparameters hyperparameters = first.config.model();
            final ItemUpdate nonFinite = ItemUpdate.newBuilder().setItemId("i").setKind(StepKind.INTERACTION)
                    .setUserFactors(Collections.nCopies(hyperparameters.rank(), 0.1f)).setGradientScale(Float.NaN)
                    .setPositive(false).setReadVersion(-1).build();
            final ItemState initial = ItemStage.initializer().apply();
            assertThat(first.itemStage.apply("i", nonFinite, initial)).as("discarded").isSameAs(initial);

            first.publishMetricsAt(14);
            second.publishMetricsAt(14);
            final long after = first.lastMetrics().getDiscardedSteps() + second.lastMetrics().getDiscardedSteps();
            assertThat(after - before).isEqualTo(1);
        }
    }

    /**
     * Two instances in one JVM (the demo runs the updater beside the service; tests run several
     * drivers): a step one instance's item stage discards is reported by that instance's tasks,
     * whichever instance reports first.
     */
    @Test
    void anInstanceReportsItsOwnItemSideDiscardsNotAnotherInstancesInTheSameJvm() {
        final Map<String, String> settings = Map.of("metrics.interval.ms", String.valueOf(METRICS.toMillis()),
                "recommendations.refresh.interval.ms", "600000");
        try (TopologyTestSupport discarding = new TopologyTestSupport(settings);
             TopologyTestSupport other = new TopologyTestSupport(settings)) {
            final Hyperparameters hyperparameters = discarding.config.model();
            final ItemUpdate nonFinite = ItemUpdate.newBuilder().setItemId("i").setKind(StepKind.INTERACTION)
                    .setUserFactors(Collections.nCopies(hyperparameters.rank(), 0.1f)).setGradientScale(Float.NaN)
                    .setPositive(false).setReadVersion(-1).build();
            // Straight into the item stage: the user stage never sends a non-finite step.
            discarding.driver.createInputTopic(
                    discarding.config.applicationId() + "-" + Names.ITEM_STEPS_TOPIC + "-repartition",
                    new StringSerializer(), discarding.topics.itemUpdateSerde.serializer())
                    .pipeInput("i", nonFinite, TopologyTestSupport.START);

            // The other instance's metrics punctuation runs first, as it may when both share a JVM.
            other.advanceWallClock(METRICS);
            discarding.advanceWallClock(METRICS);

            assertThat(discardedSteps(other)).as("the other instance's report").isZero();
            assertThat(discardedSteps(discarding)).as("the discarding instance's report").isEqualTo(1);
        }
    }

    /** The discarded steps in the instance's latest metrics record (one task in the driver). */
    private static long discardedSteps(final TopologyTestSupport fx) {
        final List<ModelMetrics> reports = fx.metrics.readValuesToList();
        assertThat(reports).isNotEmpty();
        return reports.get(reports.size() - 1).getDiscardedSteps();
    }
}
