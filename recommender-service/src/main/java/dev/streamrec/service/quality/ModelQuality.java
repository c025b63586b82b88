package dev.streamrec.service.quality;

import dev.streamrec.schemas.ModelMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live model quality across every task of the profile-updater, from the latest
 * {@link ModelMetrics} summary of each task (topic {@code model.metrics}, keyed by task id).
 *
 * <p>Each task reports running figures over the events it scored, so the whole-model figure is the
 * count-weighted combination: RMSE as the root of the rating-weighted mean of squared RMSEs (exact,
 * since each task's RMSE squared is its mean squared error), recall as the positive-weighted mean.
 * A task that stops reporting keeps its last summary: its events still count toward the model's
 * history. Written by the global stream thread, read by the metrics scrape.
 */
public final class ModelQuality {
    private final Map<String, ModelMetrics> latestByTask = new ConcurrentHashMap<>();

    /** Keeps {@code metrics} unless a newer summary of the same task is already held. */
    public void update(final ModelMetrics metrics) {
        latestByTask.merge(metrics.getTaskId(), metrics,
                (held, incoming) -> incoming.getEmittedAt().isBefore(held.getEmittedAt()) ? held : incoming);
    }

    /** Forgets a task (its record was deleted by a tombstone). */
    public void remove(final String taskId) {
        latestByTask.remove(taskId);
    }

    public int tasks() {
        return latestByTask.size();
    }

    public long ratingsScored() {
        return latestByTask.values().stream().mapToLong(ModelMetrics::getRatingsScored).sum();
    }

    public long positivesScored() {
        return latestByTask.values().stream().mapToLong(ModelMetrics::getPositivesScored).sum();
    }

    /** Rating-weighted RMSE over all tasks; NaN before any rating was scored. */
    public double rmse() {
        double squared = 0;
        long n = 0;
        for (final ModelMetrics m : latestByTask.values()) {
            squared += m.getRmse() * m.getRmse() * m.getRatingsScored();
            n += m.getRatingsScored();
        }
        return n == 0 ? Double.NaN : Math.sqrt(squared / n);
    }

    /** Positive-weighted recall@10 over all tasks; NaN before any positive was scored. */
    public double recallAt10() {
        return weightedRecall(true);
    }

    /** Positive-weighted recall@20 over all tasks; NaN before any positive was scored. */
    public double recallAt20() {
        return weightedRecall(false);
    }

    private double weightedRecall(final boolean at10) {
        double hits = 0;
        long n = 0;
        for (final ModelMetrics m : latestByTask.values()) {
            hits += (at10 ? m.getRecallAt10() : m.getRecallAt20()) * m.getPositivesScored();
            n += m.getPositivesScored();
        }
        return n == 0 ? Double.NaN : hits / n;
    }
}
