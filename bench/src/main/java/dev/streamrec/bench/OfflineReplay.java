package dev.streamrec.bench;

import dev.streamrec.bench.model.HyperparameterSearch;
import dev.streamrec.bench.model.MovieLensReader;
import dev.streamrec.bench.model.RatingEvent;
import dev.streamrec.bench.model.ReplayFigures;
import dev.streamrec.bench.model.ReplayOptions;
import dev.streamrec.bench.model.ReplayRun;
import dev.streamrec.updater.model.Hyperparameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Replays a MovieLens ratings file in timestamp order through the online model, prequentially
 * (test, then train), with the same user-side and item-side calls the Kafka Streams topology
 * makes, and prints rating error, recall against a popularity baseline, and throughput.
 *
 * <pre>
 * usage: OfflineReplay PATH [--runs N] [--seed S] [--item-delay D] [--search] [--search-fraction F]
 *   PATH               u.data (tab-separated) or ratings.dat ("::"-separated)
 *   --runs N           repeat with seeds S, S+1, … and print medians (default 5)
 *   --seed S           first seed (default 42)
 *   --item-delay D     hold item-side messages back D steps, imitating the repartition hop (default 0)
 *   --search           rerun the hyperparameter search on the first F of the events, then replay
 *                      with what it chose instead of Hyperparameters.defaults()
 *   --search-fraction  share of the events the search tunes on (default 0.5)
 * </pre>
 * Reads only what it is given; never copy the MovieLens files into the repository (their licence
 * forbids redistribution).
 */
public final class OfflineReplay {
    private OfflineReplay() {
    }

    public static void main(final String[] args) throws IOException {
        if (args.length == 0 || args[0].startsWith("--")) {
            System.err.println("usage: OfflineReplay PATH [--runs N] [--seed S] [--item-delay D] [--search]"
                    + " [--search-fraction F]");
            System.exit(2);
        }
        final Path path = Path.of(args[0]);
        int runs = 5;
        long seed = 42;
        int itemDelay = 0;
        boolean search = false;
        double searchFraction = 0.5;
        for (int a = 1; a < args.length; a++) {
            switch (args[a]) {
                case "--runs" -> runs = Integer.parseInt(args[++a]);
                case "--seed" -> seed = Long.parseLong(args[++a]);
                case "--item-delay" -> itemDelay = Integer.parseInt(args[++a]);
                case "--search" -> search = true;
                case "--search-fraction" -> searchFraction = Double.parseDouble(args[++a]);
                default -> throw new IllegalArgumentException("unknown option " + args[a]);
            }
        }

        final List<RatingEvent> events = MovieLensReader.readInTimeOrder(path);
        final long users = events.stream().map(RatingEvent::userId).distinct().count();
        final long items = events.stream().map(RatingEvent::itemId).distinct().count();
        System.out.printf(Locale.ROOT, "streamrec offline replay: %s, %d ratings, %d users, %d items, timestamp order%n",
                path, events.size(), users, items);

        Hyperparameters model = Hyperparameters.defaults();
        Hyperparameters biasBaseline = HyperparameterSearch.BIAS_BASELINE;
        if (search) {
            final HyperparameterSearch.Choice choice = new HyperparameterSearch(events,
                    (int) Math.round(searchFraction * events.size()), seed, System.out).run();
            model = choice.model();
            biasBaseline = choice.biasBaseline();
            System.out.println();
        }
        System.out.println("model: " + model);
        System.out.println("bias baseline: " + biasBaseline);

        final List<ReplayFigures> figures = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            final ReplayFigures result = new ReplayRun(events, new ReplayOptions(model, biasBaseline, seed + run,
                    itemDelay, 0, true, ReplayOptions.DEFAULT_UNSCORED_PREFIX)).run();
            figures.add(result);
            System.out.printf(Locale.ROOT, "  run %d (seed %d): RMSE %.4f  recall@20(5) %.4f  recall@20(>=4) %.4f"
                            + "  %.0f events/s%n", run + 1, seed + run, result.modelRmse(), result.model().fiveAt20(),
                    result.model().fourPlusAt20(), result.eventsPerSecond());
        }
        print(figures, runs, seed, itemDelay);
    }

    private static void print(final List<ReplayFigures> runs, final int count, final long seed, final int itemDelay) {
        final ReplayFigures first = runs.get(0);
        System.out.println();
        System.out.printf(Locale.ROOT, "medians over %d runs (seeds %d..%d), item-side delay %d steps%n",
                count, seed, seed + count - 1, itemDelay);
        System.out.printf(Locale.ROOT, "rating prediction, prequential over all %d ratings     RMSE     MAE%n",
                first.ratings());
        System.out.printf(Locale.ROOT, "  model  mu + b_u + b_i + p_u.q_i                       %.4f   %.4f%n",
                median(runs, ReplayFigures::modelRmse), median(runs, ReplayFigures::modelMae));
        System.out.printf(Locale.ROOT, "  baseline  mu + b_u + b_i                              %.4f   %.4f%n",
                median(runs, ReplayFigures::biasBaselineRmse), median(runs, ReplayFigures::biasBaselineMae));
        System.out.printf(Locale.ROOT, "  baseline  running mean mu                             %.4f   %.4f%n",
                median(runs, ReplayFigures::globalMeanRmse), median(runs, ReplayFigures::globalMeanMae));
        System.out.printf(Locale.ROOT, "recall, incremental (item new to user, top-N excludes history, first %d events"
                + " unscored)%n", ReplayOptions.DEFAULT_UNSCORED_PREFIX);
        System.out.printf(Locale.ROOT, "                          rating = 5 (n=%d)     rating >= 4 (n=%d)%n",
                first.positivesFive(), first.positivesFourPlus());
        System.out.println("                          @10      @20           @10      @20");
        System.out.printf(Locale.ROOT, "  model                   %.4f   %.4f        %.4f   %.4f%n",
                median(runs, f -> f.model().fiveAt10()), median(runs, f -> f.model().fiveAt20()),
                median(runs, f -> f.model().fourPlusAt10()), median(runs, f -> f.model().fourPlusAt20()));
        System.out.printf(Locale.ROOT, "  popularity so far       %.4f   %.4f        %.4f   %.4f%n",
                median(runs, f -> f.popularity().fiveAt10()), median(runs, f -> f.popularity().fiveAt20()),
                median(runs, f -> f.popularity().fourPlusAt10()), median(runs, f -> f.popularity().fourPlusAt20()));
        System.out.printf(Locale.ROOT, "throughput: %.0f events/s whole replay (3 models + ranking every positive), "
                        + "%.0f events/s model training alone%n",
                median(runs, ReplayFigures::eventsPerSecond), median(runs, ReplayFigures::trainingEventsPerSecond));
        System.out.printf(Locale.ROOT, "discarded (non-finite) steps: %.0f%n",
                median(runs, f -> (double) f.discardedSteps()));
    }

    private static double median(final List<ReplayFigures> runs, final ToDoubleFunction<ReplayFigures> figure) {
        final double[] values = runs.stream().mapToDouble(figure).toArray();
        Arrays.sort(values);
        final int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : 0.5 * (values[middle - 1] + values[middle]);
    }
}
