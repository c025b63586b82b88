package dev.streamrec.bench.model;

import dev.streamrec.updater.model.Hyperparameters;

/**
 * How to run one replay.
 *
 * @param model          hyperparameters of the matrix-factorisation model
 * @param biasBaseline   hyperparameters of the μ + b_u + b_i baseline (same code, factors frozen at 0)
 * @param seed           seeds negative sampling; the only randomness apart from timing
 * @param itemDelay      item-side messages held back this many steps before being applied, to
 *                       imitate the repartition hop (0 = applied at once, i.e. plain sequential SGD)
 * @param eventLimit     replay only the first events (the search tunes on a prefix); 0 = all
 * @param scoreRecall    whether to rank items for recall (costly; off when only RMSE matters)
 * @param unscoredPrefix events at the start that are trained on but never scored for recall
 */
public record ReplayOptions(Hyperparameters model, Hyperparameters biasBaseline, long seed, int itemDelay,
                            int eventLimit, boolean scoreRecall, int unscoredPrefix) {
    public static final int DEFAULT_UNSCORED_PREFIX = 100;
}
