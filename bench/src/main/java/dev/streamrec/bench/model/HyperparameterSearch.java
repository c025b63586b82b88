package dev.streamrec.bench.model;

import dev.streamrec.updater.model.FactorSharing;
import dev.streamrec.updater.model.Hyperparameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The small, seeded search that chose {@link Hyperparameters#defaults()} and
 * {@link #BIAS_BASELINE}. It tunes on a prefix of the stream (the first half by default) so the
 * full replay is not entirely the data the values were picked on.
 *
 * <p>Three stages, each a grid or a seeded random sample of a grid:
 * <ol>
 *   <li>bias baseline μ + b_u + b_i: full grid over its learning rate and regularisation, lowest RMSE;</li>
 *   <li>rating part of the model (implicit loss off): random sample over rank, rates,
 *       regularisation and initial scale, lowest RMSE;</li>
 *   <li>implicit part on top of stage 2: random sample over factor sharing, confidence weight,
 *       negatives, their weight, the sampling exponent and the ranking blend; highest recall@20 on
 *       rating-5 positives among the candidates whose RMSE stays within {@link #RMSE_SLACK} of
 *       stage 2 (so the implicit loss may not buy recall with rating accuracy).</li>
 * </ol>
 */
public final class HyperparameterSearch {
    /** The bias baseline the search chose (stage 1); factors frozen at zero. */
    public static final Hyperparameters BIAS_BASELINE = biasOnly(Hyperparameters.defaults().toBuilder()
            .biasLearningRate(0.02f).biasRegularization(0.02f).build());
    public static final double RMSE_SLACK = 0.005;
    private static final int RATING_TRIALS = 16;
    private static final int IMPLICIT_TRIALS = 24;

    private final List<RatingEvent> events;
    private final int eventLimit;
    private final long seed;
    private final PrintStream out;

    public HyperparameterSearch(final List<RatingEvent> events, final int eventLimit, final long seed,
                                final PrintStream out) {
        this.events = events;
        this.eventLimit = eventLimit;
        this.seed = seed;
        this.out = out;
    }

    /** The chosen model and bias baseline. */
    public record Choice(Hyperparameters model, Hyperparameters biasBaseline) {
    }

    /** Same model with every factor and implicit path switched off: the μ + b_u + b_i baseline. */
    public static Hyperparameters biasOnly(final Hyperparameters from) {
        return from.toBuilder().rank(1).sharing(FactorSharing.SHARED).factorLearningRate(0f).initialScale(0f)
                .ratingInteractionWeight(0f).negativesPerPositive(0).rankingRatingBlend(1f).build();
    }

    public Choice run() {
        out.printf(Locale.ROOT, "search: tuning on the first %d events, seed %d%n", eventLimit, seed);

        // Stage 1: bias baseline, full grid.
        final float[] biasRates = {0.005f, 0.01f, 0.02f, 0.03f, 0.05f};
        final float[] biasRegularisations = {0f, 0.01f, 0.02f, 0.05f, 0.1f};
        out.printf(Locale.ROOT, "stage 1 (bias baseline) grid: biasLearningRate %s x biasRegularization %s%n",
                java.util.Arrays.toString(biasRates), java.util.Arrays.toString(biasRegularisations));
        Hyperparameters bestBaseline = null;
        double bestBaselineRmse = Double.MAX_VALUE;
        for (final float rate : biasRates) {
            for (final float regularisation : biasRegularisations) {
                final Hyperparameters candidate = biasOnly(Hyperparameters.defaults().toBuilder()
                        .biasLearningRate(rate).biasRegularization(regularisation).build());
                final double rmse = replay(candidate, candidate, false).modelRmse();
                out.printf(Locale.ROOT, "  biasLearningRate=%.3f biasRegularization=%.3f  RMSE %.4f%n",
                        rate, regularisation, rmse);
                if (rmse < bestBaselineRmse) {
                    bestBaselineRmse = rmse;
                    bestBaseline = candidate;
                }
            }
        }
        out.printf(Locale.ROOT, "stage 1 chose biasLearningRate=%.3f biasRegularization=%.3f (RMSE %.4f)%n",
                bestBaseline.biasLearningRate(), bestBaseline.biasRegularization(), bestBaselineRmse);

        // Stage 2: rating part, random sample of a grid.
        final int[] ranks = {16, 32, 64};
        final float[] factorRates = {0.005f, 0.01f, 0.02f, 0.03f};
        final float[] biasRatesWithFactors = {0.01f, 0.02f, 0.03f};
        final float[] factorRegularisations = {0.01f, 0.03f, 0.05f, 0.1f};
        final float[] initialScales = {0.01f, 0.05f, 0.1f};
        out.printf(Locale.ROOT, "stage 2 (ratings) grid, %d random draws: rank %s, factorLearningRate %s, "
                        + "biasLearningRate %s, factorRegularization %s, initialScale %s; "
                        + "implicit loss off%n", RATING_TRIALS, java.util.Arrays.toString(ranks),
                java.util.Arrays.toString(factorRates), java.util.Arrays.toString(biasRatesWithFactors),
                java.util.Arrays.toString(factorRegularisations), java.util.Arrays.toString(initialScales));
        final SplittableRandom draw = new SplittableRandom(seed);
        final Hyperparameters ratingStart = Hyperparameters.defaults().toBuilder()
                .biasRegularization(bestBaseline.biasRegularization())
                .ratingInteractionWeight(0f).negativesPerPositive(0).build();
        Hyperparameters bestRating = null;
        double bestRatingRmse = Double.MAX_VALUE;
        for (final Hyperparameters candidate : distinctDraws(RATING_TRIALS, draw, random -> ratingStart.toBuilder()
                .rank(pick(ranks, random)).factorLearningRate(pick(factorRates, random))
                .biasLearningRate(pick(biasRatesWithFactors, random))
                .factorRegularization(pick(factorRegularisations, random))
                .initialScale(pick(initialScales, random)).build())) {
            final double rmse = replay(candidate, bestBaseline, false).modelRmse();
            out.printf(Locale.ROOT, "  rank=%d factorLearningRate=%.3f biasLearningRate=%.3f "
                            + "factorRegularization=%.3f initialScale=%.2f  RMSE %.4f%n", candidate.rank(),
                    candidate.factorLearningRate(), candidate.biasLearningRate(),
                    candidate.factorRegularization(), candidate.initialScale(), rmse);
            if (rmse < bestRatingRmse) {
                bestRatingRmse = rmse;
                bestRating = candidate;
            }
        }
        out.printf(Locale.ROOT, "stage 2 chose rank=%d factorLearningRate=%.3f biasLearningRate=%.3f "
                        + "factorRegularization=%.3f initialScale=%.2f (RMSE %.4f)%n", bestRating.rank(),
                bestRating.factorLearningRate(), bestRating.biasLearningRate(), bestRating.factorRegularization(),
                bestRating.initialScale(), bestRatingRmse);

        // Stage 3: implicit part.
        final FactorSharing[] sharings = FactorSharing.values();
        final float[] confidences = {0.5f, 1f, 2f, 4f};
        final int[] negativeCounts = {1, 2, 4, 8};
        final float[] negativeWeights = {0.25f, 0.5f, 1f};
        final float[] exponents = {0f, 0.25f, 0.5f, 1f};
        final float[] blends = {0f, 0.1f, 0.3f, 1f};
        out.printf(Locale.ROOT, "stage 3 (implicit) grid, %d random draws: sharing %s, ratingInteractionWeight %s, "
                        + "negativesPerPositive %s, negativeWeight %s, samplingExponent %s, rankingRatingBlend %s; "
                        + "objective recall@20 on rating-5 positives, subject to RMSE <= %.4f%n", IMPLICIT_TRIALS,
                java.util.Arrays.toString(sharings), java.util.Arrays.toString(confidences),
                java.util.Arrays.toString(negativeCounts), java.util.Arrays.toString(negativeWeights),
                java.util.Arrays.toString(exponents), java.util.Arrays.toString(blends), bestRatingRmse + RMSE_SLACK);
        final Hyperparameters implicitStart = bestRating;
        Hyperparameters bestModel = null;
        double bestRecall = -1;
        for (final Hyperparameters candidate : distinctDraws(IMPLICIT_TRIALS, draw, random -> implicitStart.toBuilder()
                .sharing(sharings[random.nextInt(sharings.length)])
                .ratingInteractionWeight(pick(confidences, random))
                .negativesPerPositive(negativeCounts[random.nextInt(negativeCounts.length)])
                .negativeWeight(pick(negativeWeights, random)).samplingExponent(pick(exponents, random))
                .rankingRatingBlend(pick(blends, random)).build())) {
            final ReplayFigures figures = replay(candidate, bestBaseline, true);
            final boolean feasible = figures.modelRmse() <= bestRatingRmse + RMSE_SLACK;
            out.printf(Locale.ROOT, "  sharing=%s ratingInteractionWeight=%.2f negativesPerPositive=%d "
                            + "negativeWeight=%.2f samplingExponent=%.2f rankingRatingBlend=%.1f  "
                            + "RMSE %.4f recall@20(5) %.4f%s%n", candidate.sharing(),
                    candidate.ratingInteractionWeight(), candidate.negativesPerPositive(), candidate.negativeWeight(),
                    candidate.samplingExponent(), candidate.rankingRatingBlend(), figures.modelRmse(),
                    figures.model().fiveAt20(), feasible ? "" : "  (RMSE over bound)");
            if (feasible && figures.model().fiveAt20() > bestRecall) {
                bestRecall = figures.model().fiveAt20();
                bestModel = candidate;
            }
        }
        if (bestModel == null) {
            out.println("stage 3: no candidate kept RMSE within bound; keeping stage 2 with the implicit loss off");
            bestModel = bestRating;
        }
        out.printf(Locale.ROOT, "stage 3 chose sharing=%s ratingInteractionWeight=%.2f negativesPerPositive=%d "
                        + "negativeWeight=%.2f samplingExponent=%.2f rankingRatingBlend=%.1f (recall@20 %.4f)%n",
                bestModel.sharing(), bestModel.ratingInteractionWeight(), bestModel.negativesPerPositive(),
                bestModel.negativeWeight(), bestModel.samplingExponent(), bestModel.rankingRatingBlend(), bestRecall);
        out.println("chosen model: " + bestModel);
        out.println("chosen bias baseline: " + bestBaseline);
        return new Choice(bestModel, bestBaseline);
    }

    private ReplayFigures replay(final Hyperparameters model, final Hyperparameters baseline, final boolean recall) {
        return new ReplayRun(events, new ReplayOptions(model, baseline, seed, 0, eventLimit, recall,
                ReplayOptions.DEFAULT_UNSCORED_PREFIX)).run();
    }

    /** Draws until {@code count} distinct candidates (or a generous number of attempts) are found. */
    private static List<Hyperparameters> distinctDraws(final int count, final SplittableRandom random,
                                                       final java.util.function.Function<SplittableRandom,
                                                               Hyperparameters> sample) {
        final List<Hyperparameters> drawn = new ArrayList<>();
        for (int attempt = 0; attempt < 50 * count && drawn.size() < count; attempt++) {
            final Hyperparameters candidate = sample.apply(random);
            if (!drawn.contains(candidate)) {
                drawn.add(candidate);
            }
        }
        return drawn;
    }

    private static float pick(final float[] values, final SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }

    private static int pick(final int[] values, final SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }
}
