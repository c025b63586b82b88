package dev.streamrec.updater.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PrequentialEvaluatorTest {

    @Test
    void runningAndWindowedErrorsMatchADirectComputation() {
        final int window = 50;
        final PrequentialEvaluator evaluator = new PrequentialEvaluator(window);
        final SplittableRandom random = new SplittableRandom(4);
        final int n = 1_237;  // not a multiple of the window, so the window is mid-lap
        final double[] errors = new double[n];
        for (int k = 0; k < n; k++) {
            final double actual = 1 + random.nextInt(5);
            final double predicted = 1 + random.nextDouble() * 4;
            errors[k] = actual - predicted;
            evaluator.recordRating(actual, predicted);
        }
        double squared = 0;
        double absolute = 0;
        double windowSquared = 0;
        double windowAbsolute = 0;
        for (int k = 0; k < n; k++) {
            squared += errors[k] * errors[k];
            absolute += Math.abs(errors[k]);
            if (k >= n - window) {
                windowSquared += errors[k] * errors[k];
                windowAbsolute += Math.abs(errors[k]);
            }
        }
        final PrequentialSnapshot snapshot = evaluator.snapshot();
        assertThat(snapshot.ratingsScored()).isEqualTo(n);
        assertThat(snapshot.rmse()).isCloseTo(Math.sqrt(squared / n), within(1e-9));
        assertThat(snapshot.mae()).isCloseTo(absolute / n, within(1e-9));
        assertThat(snapshot.windowRmse()).isCloseTo(Math.sqrt(windowSquared / window), within(1e-9));
        assertThat(snapshot.windowMae()).isCloseTo(windowAbsolute / window, within(1e-9));
    }

    @Test
    void recallCountsHitsInTheTopTenAndTwentyOverAllAndOverTheWindow() {
        final PrequentialEvaluator evaluator = new PrequentialEvaluator(4);
        // ranks: 1 (hit@10), 15 (hit@20 only), absent, 10 (hit@10), 21 (miss), 20 (hit@20 only)
        for (final int rank : new int[] {1, 15, PrequentialEvaluator.NOT_RANKED, 10, 21, 20}) {
            evaluator.recordRank(rank);
        }
        final PrequentialSnapshot snapshot = evaluator.snapshot();
        assertThat(snapshot.positivesScored()).isEqualTo(6);
        assertThat(snapshot.recallAt10()).isCloseTo(2.0 / 6, within(1e-12));
        assertThat(snapshot.recallAt20()).isCloseTo(4.0 / 6, within(1e-12));
        // window: absent, 10, 21, 20
        assertThat(snapshot.windowRecallAt10()).isCloseTo(1.0 / 4, within(1e-12));
        assertThat(snapshot.windowRecallAt20()).isCloseTo(2.0 / 4, within(1e-12));
    }

    @Test
    void emptyEvaluatorReadsZeroNotNaN() {
        final PrequentialSnapshot snapshot = new PrequentialEvaluator(10).snapshot();
        assertThat(List.of(snapshot.rmse(), snapshot.mae(), snapshot.windowRmse(), snapshot.recallAt10(),
                snapshot.windowRecallAt20())).containsOnly(0.0);
    }

    @Test
    void rankInIsOneBased() {
        assertThat(PrequentialEvaluator.rankIn(List.of("a", "b", "c"), "c")).isEqualTo(3);
        assertThat(PrequentialEvaluator.rankIn(List.of("a"), "z")).isEqualTo(PrequentialEvaluator.NOT_RANKED);
    }

    @Test
    void rejectsWhatWouldPoisonTheFigures() {
        final PrequentialEvaluator evaluator = new PrequentialEvaluator(3);
        assertThatThrownBy(() -> evaluator.recordRating(4, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> evaluator.recordRank(0)).hasMessageStartingWith("rank");
        assertThatThrownBy(() -> new PrequentialEvaluator(0)).hasMessageStartingWith("window");
    }
}
