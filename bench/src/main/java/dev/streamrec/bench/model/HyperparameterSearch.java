package dev.streamrec.bench.model;

import dev.streamrec.updater.model.FactorSharing;
import dev.streamrec.updater.model.Hyperparameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
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
 *   <li>rating part of the model (implicit loss off): random sample over rank, rates, the factor
 *       warm-up (k, initial rate), the step bound, regularisation and initial scale, lowest RMSE;</li>
 *   <li>implicit part on top of stage 2, the current defaults' values first: random sample over factor
 *       sharing, the factor rate (which interaction steps use unscheduled), confidence weight,
 *       negatives, their weight, the sampling exponent and the ranking blend; highest recall@20 on
 *       rating-5 positives among the candidates whose RMSE stays within {@link #RMSE_SLACK} of
 *       stage 2 (so the implicit loss may not buy recall with rating accuracy).</li>
 * </ol>
 */
public final class HyperparameterSearch {
    /** The bias baseline the search chose (stage 1); factors frozen at zero. */
    public static final Hyperparameters BIAS_BASELINE = biasOnly(Hyperparameters.defaults().toBuilder()
            .userBiasLearningRate(0.08f).itemBiasLearningRate(0.005f).biasWarmup(5f).biasRegularization(0.1f).build());
    public static final double RMSE_SLACK = 0.005;
    /** Stage 2 samples a grid of about 9,000 points; an RMSE-only replay of half the stream is cheap. */
    private static final int RATING_TRIALS = 96;
    private static final int IMPLICIT_TRIALS = 32;

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
                .factorWarmup(0f)
                .ratingInteractionWeight(0f).negativesPerPositive(0).rankingRatingBlend(1f).build();
    }

    public Choice run() {
        out.printf(Locale.ROOT, "search: tuning on the first %d events, seed %d%n", eventLimit, seed);

        // Stage 1: bias baseline, full grid.
        final float[] userBiasRates = {0.03f, 0.05f, 0.08f, 0.12f};
        final float[] itemBiasRates = {0.005f, 0.01f, 0.03f};
        final float[] warmups = {0f, 3f, 5f, 10f};
        final float[] biasRegularisations = {0.02f, 0.05f, 0.1f};
        out.printf(Locale.ROOT, "stage 1 (bias baseline) full grid: userBiasLearningRate %s x itemBiasLearningRate %s"
                        + " x biasWarmup %s x biasRegularization %s%n", Arrays.toString(userBiasRates),
                Arrays.toString(itemBiasRates), Arrays.toString(warmups), Arrays.toString(biasRegularisations));
        Hyperparameters bestBaseline = null;
        double bestBaselineRmse = Double.MAX_VALUE;
        for (final float userRate : userBiasRates) {
            for (final float itemRate : itemBiasRates) {
                for (final float warmup : warmups) {
                    for (final float regularisation : biasRegularisations) {
                        final Hyperparameters candidate = biasOnly(Hyperparameters.defaults().toBuilder()
                                .userBiasLearningRate(userRate).itemBiasLearningRate(itemRate).biasWarmup(warmup)
                                .biasRegularization(regularisation).build());
                        final double rmse = replay(candidate, candidate, false).modelRmse();
                        out.printf(Locale.ROOT, "  %s  RMSE %.4f%n", describeBiases(candidate), rmse);
                        if (rmse < bestBaselineRmse) {
                            bestBaselineRmse = rmse;
                            bestBaseline = candidate;
                        }
                    }
                }
            }
        }
        out.printf(Locale.ROOT, "stage 1 chose %s (RMSE %.4f)%n", describeBiases(bestBaseline), bestBaselineRmse);

        // Stage 2: rating part, random sample of a grid, biases as stage 1 chose.
        final int[] ranks = {8, 16, 32, 64};
        final float[] factorRates = {0.005f, 0.01f, 0.02f, 0.05f};
        final float[] factorRegularisations = {0.01f, 0.05f, 0.1f};
        final float[] initialScales = {0.01f, 0.05f, 0.1f};
        final float[] factorWarmups = {0f, 10f, 30f, 100f};
        final float[] factorWarmupRates = {0.1f, 0.2f, 0.5f, 1f};
        final float[] stepBounds = {0f, 0.05f, 0.1f, 0.2f};
        out.printf(Locale.ROOT, "stage 2 (ratings) grid, %d random draws: rank %s, factorLearningRate %s, "
                        + "factorRegularization %s, initialScale %s, factorWarmup %s, factorWarmupRate %s, "
                        + "factorStepBound %s; biases from stage 1; implicit loss off%n",
                RATING_TRIALS, Arrays.toString(ranks), Arrays.toString(factorRates),
                Arrays.toString(factorRegularisations), Arrays.toString(initialScales),
                Arrays.toString(factorWarmups), Arrays.toString(factorWarmupRates), Arrays.toString(stepBounds));
        final SplittableRandom draw = new SplittableRandom(seed);
        final Hyperparameters ratingStart = Hyperparameters.defaults().toBuilder()
                .userBiasLearningRate(bestBaseline.userBiasLearningRate())
                .itemBiasLearningRate(bestBaseline.itemBiasLearningRate())
                .biasWarmup(bestBaseline.biasWarmup()).biasRegularization(bestBaseline.biasRegularization())
                .ratingInteractionWeight(0f).negativesPerPositive(0).build();
        Hyperparameters bestRating = null;
        double bestRatingRmse = Double.MAX_VALUE;
        for (final Hyperparameters candidate : distinctDraws(RATING_TRIALS, draw, random -> ratingStart.toBuilder()
                .rank(pick(ranks, random)).factorLearningRate(pick(factorRates, random))
                .factorRegularization(pick(factorRegularisations, random))
                .initialScale(pick(initialScales, random)).factorWarmup(pick(factorWarmups, random))
                .factorWarmupRate(pick(factorWarmupRates, random)).factorStepBound(pick(stepBounds, random)).build())) {
            final double rmse = replay(candidate, bestBaseline, false).modelRmse();
            out.printf(Locale.ROOT, "  %s  RMSE %.4f%n", describeFactors(candidate), rmse);
            if (rmse < bestRatingRmse) {
                bestRatingRmse = rmse;
                bestRating = candidate;
            }
        }
        out.printf(Locale.ROOT, "stage 2 chose %s (RMSE %.4f)%n", describeFactors(bestRating), bestRatingRmse);

        // Stage 3: implicit part.
        final FactorSharing[] sharings = FactorSharing.values();
        final float[] confidences = {0.5f, 1f, 2f, 4f};
        final int[] negativeCounts = {1, 2, 4, 8};
        final float[] negativeWeights = {0.25f, 0.5f, 1f};
        final float[] exponents = {0f, 0.25f, 0.5f, 1f};
        final float[] blends = {0f, 0.1f, 0.3f, 1f};
        // η_f is also the (constant) rate of every interaction step, so it is searched again here: stage 2
        // picked it as the floor of the rating slices' warm-up, where it matters little, and the
        // implicit loss needs its own value (0.01 there cost a quarter of the recall).
        final float[] interactionRates = {0.01f, 0.02f, 0.05f, 0.1f};
        out.printf(Locale.ROOT, "stage 3 (implicit) grid, %d random draws: sharing %s, ratingInteractionWeight %s, "
                        + "negativesPerPositive %s, negativeWeight %s, samplingExponent %s, rankingRatingBlend %s, "
                        + "factorLearningRate %s; first the current defaults' values of these on top of stage 2; "
                        + "objective recall@20 on rating-5 positives, subject to RMSE <= %.4f%n", IMPLICIT_TRIALS,
                Arrays.toString(sharings), Arrays.toString(confidences),
                Arrays.toString(negativeCounts), Arrays.toString(negativeWeights),
                Arrays.toString(exponents), Arrays.toString(blends), Arrays.toString(interactionRates),
                bestRatingRmse + RMSE_SLACK);
        final Hyperparameters implicitStart = bestRating;
        Hyperparameters bestModel = null;
        double bestRecall = -1;
        // The incumbent goes first so that a rerun can only replace the defaults by something better on
        // its own objective, whatever the random draws happen to cover.
        final Hyperparameters current = Hyperparameters.defaults();
        final List<Hyperparameters> candidates = new ArrayList<>(List.of(implicitStart.toBuilder()
                .sharing(current.sharing()).ratingInteractionWeight(current.ratingInteractionWeight())
                .negativesPerPositive(current.negativesPerPositive()).negativeWeight(current.negativeWeight())
                .samplingExponent(current.samplingExponent()).rankingRatingBlend(current.rankingRatingBlend())
                .factorLearningRate(current.factorLearningRate()).build()));
        for (final Hyperparameters drawn : distinctDraws(IMPLICIT_TRIALS, draw, random -> implicitStart.toBuilder()
                .sharing(sharings[random.nextInt(sharings.length)])
                .ratingInteractionWeight(pick(confidences, random))
                .negativesPerPositive(negativeCounts[random.nextInt(negativeCounts.length)])
                .negativeWeight(pick(negativeWeights, random)).samplingExponent(pick(exponents, random))
                .rankingRatingBlend(pick(blends, random)).factorLearningRate(pick(interactionRates, random)).build())) {
            if (!candidates.contains(drawn)) {
                candidates.add(drawn);
            }
        }
        for (final Hyperparameters candidate : candidates) {
            final ReplayFigures figures = replay(candidate, bestBaseline, true);
            final boolean feasible = figures.modelRmse() <= bestRatingRmse + RMSE_SLACK;
            out.printf(Locale.ROOT, "  sharing=%s ratingInteractionWeight=%.2f negativesPerPositive=%d "
                            + "negativeWeight=%.2f samplingExponent=%.2f rankingRatingBlend=%.1f factorLearningRate=%.3f  "
                            + "RMSE %.4f recall@20(5) %.4f%s%n", candidate.sharing(),
                    candidate.ratingInteractionWeight(), candidate.negativesPerPositive(), candidate.negativeWeight(),
                    candidate.samplingExponent(), candidate.rankingRatingBlend(), candidate.factorLearningRate(),
                    figures.modelRmse(),
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
                        + "negativeWeight=%.2f samplingExponent=%.2f rankingRatingBlend=%.1f factorLearningRate=%.3f"
                        + " (recall@20 %.4f)%n",
                bestModel.sharing(), bestModel.ratingInteractionWeight(), bestModel.negativesPerPositive(),
                bestModel.negativeWeight(), bestModel.samplingExponent(), bestModel.rankingRatingBlend(),
                bestModel.factorLearningRate(), bestRecall);
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

    private static String describeBiases(final Hyperparameters hp) {
        return String.format(Locale.ROOT, "userBiasLearningRate=%.3f itemBiasLearningRate=%.3f biasWarmup=%.0f "
                + "biasRegularization=%.2f", hp.userBiasLearningRate(), hp.itemBiasLearningRate(), hp.biasWarmup(),
                hp.biasRegularization());
    }

    private static String describeFactors(final Hyperparameters hp) {
        return String.format(Locale.ROOT, "rank=%d factorLearningRate=%.3f factorRegularization=%.2f initialScale=%.2f"
                        + " factorWarmup=%.0f factorWarmupRate=%.1f factorStepBound=%.2f", hp.rank(),
                hp.factorLearningRate(), hp.factorRegularization(), hp.initialScale(), hp.factorWarmup(),
                hp.factorWarmupRate(), hp.factorStepBound());
    }

    private static float pick(final float[] values, final SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }

    private static int pick(final int[] values, final SplittableRandom random) {
        return values[random.nextInt(values.length)];
    }
}
