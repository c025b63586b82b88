package dev.streamrec.service.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamrec.schemas.ModelMetrics;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ModelQualityTest {

    private static ModelMetrics metrics(final String task, final long at, final long ratings, final double rmse,
                                        final long positives, final double recall10) {
        return ModelMetrics.newBuilder().setTaskId(task).setEmittedAt(Instant.ofEpochMilli(at))
                .setRatingsScored(ratings).setRmse(rmse).setPositivesScored(positives).setRecallAt10(recall10)
                .setRecallAt20(Math.min(1, recall10 * 2)).build();
    }

    @Test
    void combinesTasksWeightedByWhatEachScored() {
        final ModelQuality quality = new ModelQuality();
        quality.update(metrics("0_0", 10, 100, 1.0, 300, 0.1));
        quality.update(metrics("0_1", 10, 300, 2.0, 100, 0.5));
        // RMSE: sqrt((100 * 1 + 300 * 4) / 400); recall: (300 * 0.1 + 100 * 0.5) / 400
        assertThat(quality.rmse()).isCloseTo(Math.sqrt(1300.0 / 400), within(1e-12));
        assertThat(quality.recallAt10()).isCloseTo(80.0 / 400, within(1e-12));
        assertThat(quality.ratingsScored()).isEqualTo(400);
        assertThat(quality.positivesScored()).isEqualTo(400);
        assertThat(quality.tasks()).isEqualTo(2);
    }

    @Test
    void keepsEachTasksNewestSummaryOnly() {
        final ModelQuality quality = new ModelQuality();
        quality.update(metrics("0_0", 20, 10, 3.0, 0, 0));
        quality.update(metrics("0_0", 10, 10, 1.0, 0, 0));
        assertThat(quality.rmse()).isEqualTo(3.0);
        quality.update(metrics("0_0", 30, 10, 2.0, 0, 0));
        assertThat(quality.rmse()).isEqualTo(2.0);
        quality.remove("0_0");
        assertThat(quality.tasks()).isZero();
    }

    @Test
    void isNotANumberBeforeAnythingWasScored() {
        final ModelQuality quality = new ModelQuality();
        assertThat(quality.rmse()).isNaN();
        assertThat(quality.recallAt20()).isNaN();
    }
}
