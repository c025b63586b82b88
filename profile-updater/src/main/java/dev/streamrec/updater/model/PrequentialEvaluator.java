package dev.streamrec.updater.model;

import java.util.List;

/**
 * Test-then-train evaluation of a stream learner: the caller scores each event with the model as
 * it is before learning from it, records the outcome here, then trains (Dawid 1984, "Statistical
 * theory: the prequential approach"; Gama, Sebastião and Rodrigues 2013, "On evaluating stream
 * learning algorithms", who recommend a sliding window next to the running figure so that the
 * current quality is not drowned by the past).
 *
 * <p>Ratings give RMSE and MAE; positives give recall@10 and recall@20, a hit being the item
 * ranked within the first 10 (20) of the user's list computed before the update. Windowed
 * figures cover the last {@code window} ratings and, separately, the last {@code window}
 * positives. Not thread-safe; O(1) per record.
 */
public final class PrequentialEvaluator {
    /** Rank to record when the item was not in the list at all. */
    public static final int NOT_RANKED = Integer.MAX_VALUE;

    private final int window;

    private long ratingsScored;
    private double squaredErrorSum;
    private double absoluteErrorSum;
    private final double[] windowSquaredErrors;
    private final double[] windowAbsoluteErrors;
    private int ratingCursor;
    private double windowSquaredErrorSum;
    private double windowAbsoluteErrorSum;

    private long positivesScored;
    private long hitsAt10;
    private long hitsAt20;
    private final byte[] windowRanks;  // 0 miss, 1 hit@20 only, 2 hit@10 (and @20)
    private int windowHitsAt10;
    private int windowHitsAt20;

    public PrequentialEvaluator(final int window) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1, was " + window);
        }
        this.window = window;
        this.windowSquaredErrors = new double[window];
        this.windowAbsoluteErrors = new double[window];
        this.windowRanks = new byte[window];
    }

    /** 1-based position of {@code itemId} in {@code ranking}, or {@link #NOT_RANKED}. */
    public static int rankIn(final List<String> ranking, final String itemId) {
        final int index = ranking.indexOf(itemId);
        return index < 0 ? NOT_RANKED : index + 1;
    }

    /** One rating, scored before training. Non-finite inputs are rejected, not recorded. */
    public void recordRating(final double actual, final double predicted) {
        if (!Double.isFinite(actual) || !Double.isFinite(predicted)) {
            throw new IllegalArgumentException("rating and prediction must be finite, were " + actual
                    + " and " + predicted);
        }
        final double error = actual - predicted;
        final double squared = error * error;
        final double absolute = Math.abs(error);
        squaredErrorSum += squared;
        absoluteErrorSum += absolute;
        final int slot = (int) (ratingsScored % window);
        windowSquaredErrorSum += squared - windowSquaredErrors[slot];
        windowAbsoluteErrorSum += absolute - windowAbsoluteErrors[slot];
        windowSquaredErrors[slot] = squared;
        windowAbsoluteErrors[slot] = absolute;
        ratingsScored++;
        if (++ratingCursor == window) {
            // Re-add from scratch once per lap so that add-subtract rounding cannot accumulate.
            ratingCursor = 0;
            windowSquaredErrorSum = sum(windowSquaredErrors);
            windowAbsoluteErrorSum = sum(windowAbsoluteErrors);
        }
    }

    /** One positive, with the 1-based rank its item had before training ({@link #NOT_RANKED} if absent). */
    public void recordRank(final int rank) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank must be >= 1, was " + rank);
        }
        final byte outcome = (byte) (rank <= 10 ? 2 : rank <= 20 ? 1 : 0);
        final int slot = (int) (positivesScored % window);
        final byte evicted = windowRanks[slot];
        windowHitsAt10 += (outcome == 2 ? 1 : 0) - (evicted == 2 ? 1 : 0);
        windowHitsAt20 += (outcome > 0 ? 1 : 0) - (evicted > 0 ? 1 : 0);
        windowRanks[slot] = outcome;
        hitsAt10 += outcome == 2 ? 1 : 0;
        hitsAt20 += outcome > 0 ? 1 : 0;
        positivesScored++;
    }

    public PrequentialSnapshot snapshot() {
        final long ratingsInWindow = Math.min(ratingsScored, window);
        final long positivesInWindow = Math.min(positivesScored, window);
        return new PrequentialSnapshot(
                ratingsScored,
                Math.sqrt(ratio(squaredErrorSum, ratingsScored)),
                ratio(absoluteErrorSum, ratingsScored),
                Math.sqrt(Math.max(0.0, ratio(windowSquaredErrorSum, ratingsInWindow))),
                Math.max(0.0, ratio(windowAbsoluteErrorSum, ratingsInWindow)),
                positivesScored,
                ratio(hitsAt10, positivesScored),
                ratio(hitsAt20, positivesScored),
                ratio(windowHitsAt10, positivesInWindow),
                ratio(windowHitsAt20, positivesInWindow));
    }

    private static double ratio(final double numerator, final long denominator) {
        return denominator == 0 ? 0.0 : numerator / denominator;
    }

    private static double sum(final double[] values) {
        double total = 0.0;
        for (final double value : values) {
            total += value;
        }
        return total;
    }
}
