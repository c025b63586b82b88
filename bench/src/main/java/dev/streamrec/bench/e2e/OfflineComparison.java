package dev.streamrec.bench.e2e;

import dev.streamrec.bench.model.HyperparameterSearch;
import dev.streamrec.bench.model.RatingEvent;
import dev.streamrec.bench.model.ReplayFigures;
import dev.streamrec.bench.model.ReplayOptions;
import dev.streamrec.bench.model.ReplayRun;
import dev.streamrec.updater.model.Hyperparameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The offline prequential replay (OfflineReplay's engine, {@link ReplayRun}) of the same SGD code
 * on the same events with the same hyperparameters, in this process, over several negative-sampling
 * seeds: the reference the Kafka figures are compared with. The only place this benchmark touches
 * the offline harness's API, so a change there is fixed here.
 */
final class OfflineComparison {
    /** Medians and seed-to-seed spread of one setting. */
    record Figures(int itemDelay, int seeds, double rmse, double mae, double recallAt10, double recallAt20,
                   double popularityAt10, double popularityAt20, double recallAt20Spread, double rmseSpread,
                   long positives) {
    }

    private OfflineComparison() {
    }

    static Figures run(final List<RatingEvent> events, final Hyperparameters model, final int itemDelay,
                       final long seed, final int seeds) {
        final List<ReplayFigures> runs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            runs.add(new ReplayRun(events, new ReplayOptions(model, HyperparameterSearch.BIAS_BASELINE, seed + s,
                    itemDelay, 0, true, ReplayOptions.DEFAULT_UNSCORED_PREFIX)).run());
        }
        return new Figures(itemDelay, seeds, median(runs, ReplayFigures::modelRmse), median(runs, ReplayFigures::modelMae),
                median(runs, f -> f.model().fiveAt10()), median(runs, f -> f.model().fiveAt20()),
                median(runs, f -> f.popularity().fiveAt10()), median(runs, f -> f.popularity().fiveAt20()),
                spread(runs, f -> f.model().fiveAt20()), spread(runs, ReplayFigures::modelRmse),
                runs.get(0).positivesFive());
    }

    private static double median(final List<ReplayFigures> runs, final ToDoubleFunction<ReplayFigures> figure) {
        final double[] v = runs.stream().mapToDouble(figure).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }

    private static double spread(final List<ReplayFigures> runs, final ToDoubleFunction<ReplayFigures> figure) {
        final double[] v = runs.stream().mapToDouble(figure).toArray();
        return Arrays.stream(v).max().orElse(0) - Arrays.stream(v).min().orElse(0);
    }
}
