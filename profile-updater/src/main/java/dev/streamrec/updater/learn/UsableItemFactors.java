package dev.streamrec.updater.learn;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.updater.config.UpdaterConfig;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Whether an {@code ItemFactors} record from {@code model.item-factors} can be taken into a model:
 * every value the item stage could have written. The item stage never publishes a non-finite value
 * (such steps are discarded) nor a negative count, so a record that has one was written by someone
 * else (a hand-made or foreign write to the topic) or by a bug. Readers skip it rather than fail:
 * they run on the global stream thread, where an exception at start stops the instance, and the
 * compacted topic keeps the record until the item's next step, so every instance would fail at
 * every start until then. Factors of another size than the model's are a different matter (a
 * {@code model.rank} change) and are not judged here.
 *
 * <p>The trending time is judged too: the decayed counts of every item are kept relative to one
 * reference time ({@code TrendingItems}, {@code DecayedCount}), and one time centuries ahead
 * (or before the epoch) moves it so far that every other item's count underflows to 0 and the
 * cold-start lists rank NaNs; an item stage going on from such a record would keep it for good.
 * The item stage's trending times are record times, never more than
 * {@link UpdaterConfig#MAX_FUTURE_SKEW} ahead of the wall clock; a reader allows twice that, for
 * clocks that differ between instances.
 */
public final class UsableItemFactors {
    /** How far ahead of the reader's clock a trending time may be. */
    static final long MAX_AHEAD_MILLIS = 2 * UpdaterConfig.MAX_FUTURE_SKEW.toMillis();

    private UsableItemFactors() {
    }

    /**
     * Why the record cannot be used, or empty when it can.
     *
     * @param nowMillis the reader's wall clock, for the trending time
     */
    public static Optional<String> problem(final ItemFactors record, final long nowMillis) {
        final List<Float> factors = record.getFactors();
        for (int k = 0; k < factors.size(); k++) {
            final Float value = factors.get(k);
            if (value == null || !Float.isFinite(value)) {
                return Optional.of("factor " + k + " is " + value);
            }
        }
        if (!Float.isFinite(record.getBias())) {
            return Optional.of("bias is " + record.getBias());
        }
        if (!Float.isFinite(record.getInteractionBias())) {
            return Optional.of("interactionBias is " + record.getInteractionBias());
        }
        if (record.getRatingCount() < 0 || record.getPositiveCount() < 0 || record.getUpdateCount() < 0
                || record.getVersion() < 0) {
            return Optional.of("a negative count or version (ratingCount " + record.getRatingCount() + ", positiveCount "
                    + record.getPositiveCount() + ", updateCount " + record.getUpdateCount() + ", version "
                    + record.getVersion() + ")");
        }
        if (!Double.isFinite(record.getTrendingScore()) || record.getTrendingScore() < 0) {
            return Optional.of("trendingScore is " + record.getTrendingScore());
        }
        final long trendingAt = record.getTrendingAt().toEpochMilli();
        if (trendingAt < 0 || trendingAt - nowMillis > MAX_AHEAD_MILLIS) {
            return Optional.of("trendingAt is " + record.getTrendingAt() + ", before the epoch or more than "
                    + MAX_AHEAD_MILLIS / 3_600_000 + " h ahead of this clock");
        }
        return Optional.empty();
    }

    /**
     * What a reader logs of the records it skips: the first at WARN, with what it means, the rest
     * at DEBUG, so a stream of them (a foreign producer) does not flood the log; each names its
     * item and what is wrong with it. One per reader, used by one thread.
     */
    public static final class Skips {
        private final Logger log;
        private final String consequence;
        private boolean warned;

        /** @param consequence what becomes of a skipped item, for the first log line */
        public Skips(final Logger log, final String consequence) {
            this.log = log;
            this.consequence = consequence;
        }

        public void skipped(final String itemId, final String problem) {
            if (warned) {
                log.debug("Skipping the model.item-factors record of item {}: {}", itemId, problem);
                return;
            }
            warned = true;
            log.warn("Skipping the model.item-factors record of item {}: {}. No item stage writes such a record (a "
                    + "hand-made or foreign write to the topic?); {}. Further ones are logged at DEBUG", itemId,
                    problem, consequence);
        }
    }
}
