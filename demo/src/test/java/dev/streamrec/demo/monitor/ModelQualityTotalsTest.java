package dev.streamrec.demo.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamrec.schemas.ModelMetrics;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ModelQualityTotalsTest {

    @Test
    void nothingScoredMeansNoFigures() {
        final ModelQualityTotals totals = new ModelQualityTotals();
        assertThat(totals.recallAt10()).isEmpty();
        assertThat(totals.rmse()).isEmpty();
        totals.update(metrics("0_0", 1, 0, 0, 0, 0));
        assertThat(totals.recallAt10()).isEmpty();
    }

    @Test
    void recallIsWeightedByPositivesAndRmseIsTheRootOfThePooledMeanSquare() {
        final ModelQualityTotals totals = new ModelQualityTotals();
        totals.update(metrics("0_0", 1, 300, 0.1, 10, 1.0));
        totals.update(metrics("0_1", 1, 100, 0.5, 30, 2.0));

        assertThat(totals.positivesScored()).isEqualTo(400);
        // (300 * 0.1 + 100 * 0.5) / 400, not the plain mean 0.3.
        assertThat(totals.recallAt10().getAsDouble()).isCloseTo(0.2, within(1e-12));
        // sqrt((10 * 1 + 30 * 4) / 40), not the mean of the RMSEs 1.5.
        assertThat(totals.rmse().getAsDouble()).isCloseTo(Math.sqrt(130.0 / 40), within(1e-12));
    }

    @Test
    void aTasksLatestSummaryReplacesItsEarlierOneAndAnOlderOneIsIgnored() {
        final ModelQualityTotals totals = new ModelQualityTotals();
        totals.update(metrics("0_0", 1, 100, 0.1, 0, 0));
        totals.update(metrics("0_0", 3, 200, 0.2, 0, 0));
        totals.update(metrics("0_0", 2, 150, 0.9, 0, 0));

        assertThat(totals.positivesScored()).isEqualTo(200);
        assertThat(totals.recallAt10().getAsDouble()).isCloseTo(0.2, within(1e-12));
    }

    private static ModelMetrics metrics(final String task, final long emittedAt, final long positives,
                                        final double recall, final long ratings, final double rmse) {
        return ModelMetrics.newBuilder().setTaskId(task).setEmittedAt(Instant.ofEpochMilli(emittedAt))
                .setPositivesScored(positives).setRecallAt10(recall).setRatingsScored(ratings).setRmse(rmse).build();
    }
}
