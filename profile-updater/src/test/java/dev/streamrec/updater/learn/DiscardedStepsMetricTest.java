package dev.streamrec.updater.learn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.ItemUpdate;
import dev.streamrec.schemas.StepKind;
import dev.streamrec.updater.model.Hyperparameters;
import java.util.Collections;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/** The item stage's discarded steps are counted per JVM; summed over the tasks' reports, once. */
class DiscardedStepsMetricTest {
    @Test
    void anItemSideDiscardIsReportedByOneTaskNotByEvery() {
        try (UserStageHarness first = new UserStageHarness(new TaskId(0, 0));
             UserStageHarness second = new UserStageHarness(new TaskId(0, 1))) {
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
            assertThat(new ItemStage(hyperparameters, first.config.recommendations().trendingHalfLife(), PublishedItems.NONE).apply("i", nonFinite, initial)).as("discarded").isSameAs(initial);

            first.publishMetricsAt(14);
            second.publishMetricsAt(14);
            final long after = first.lastMetrics().getDiscardedSteps() + second.lastMetrics().getDiscardedSteps();
            assertThat(after - before).isEqualTo(1);
        }
    }
}
