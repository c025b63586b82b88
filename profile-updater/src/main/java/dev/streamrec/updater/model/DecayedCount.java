package dev.streamrec.updater.model;

/**
 * A count whose every unit halves per half-life of record time, held as its value at one instant:
 * {@code score = Σ_e w_e · 2^(-(atMillis - t_e) / halfLife)} over the events {@code e} added. The
 * value at any later time {@code t} is {@code score · 2^(-(t - atMillis) / halfLife)}, so one
 * (score, time) pair summarises the whole history: it is what the item stage keeps and publishes
 * per item for trending, and any instance reading it gets the same decayed popularity as one that
 * saw every event (the sum is the same whichever instant it is valued at).
 *
 * @param score    the decayed sum valued at {@code atMillis}; not negative
 * @param atMillis the record time the score is valued at; 0 with score 0 for nothing counted yet
 */
public record DecayedCount(double score, long atMillis) {

    /** Nothing counted. */
    public static final DecayedCount NONE = new DecayedCount(0.0, 0L);

    /**
     * This count with {@code weight} more at {@code timeMillis}. A later event moves the valuation
     * time forward (decaying what was there); an earlier one (out of order) is decayed to the
     * current valuation time instead, so the time never goes back.
     */
    public DecayedCount plus(final double weight, final long timeMillis, final double halfLifeMillis) {
        if (score == 0.0 || timeMillis >= atMillis) {
            return new DecayedCount(valueAt(timeMillis, halfLifeMillis) + weight, timeMillis);
        }
        return new DecayedCount(score + weight * Math.pow(2.0, -(atMillis - timeMillis) / halfLifeMillis), atMillis);
    }

    /** The count's value at {@code timeMillis} (later than {@link #atMillis} decays it; earlier grows it). */
    public double valueAt(final long timeMillis, final double halfLifeMillis) {
        return score == 0.0 ? 0.0 : score * Math.pow(2.0, -(timeMillis - atMillis) / halfLifeMillis);
    }
}
