package dev.streamrec.demo.monitor;

import dev.streamrec.schemas.ModelMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The live prequential figures of the whole model from the per-task {@code model.metrics} records:
 * the latest record of each task, recall@10 averaged weighted by positives scored, RMSE as the
 * root of the mean squared error weighted by ratings scored (each task's RMSE squared is its mean
 * squared error, so this is the RMSE over all ratings of all tasks).
 */
public final class ModelQualityTotals {
    private final Map<String, ModelMetrics> latestByTask = new HashMap<>();

    public synchronized void update(final ModelMetrics metrics) {
        final ModelMetrics previous = latestByTask.get(metrics.getTaskId());
        // Records of one task arrive in order on one partition; the check guards a replayed older one.
        if (previous == null || !previous.getEmittedAt().isAfter(metrics.getEmittedAt())) {
            latestByTask.put(metrics.getTaskId(), metrics);
        }
    }

    public synchronized long positivesScored() {
        return latestByTask.values().stream().mapToLong(ModelMetrics::getPositivesScored).sum();
    }

    public synchronized long ratingsScored() {
        return latestByTask.values().stream().mapToLong(ModelMetrics::getRatingsScored).sum();
    }

    public synchronized OptionalDouble recallAt10() {
        final long positives = positivesScored();
        if (positives == 0) {
            return OptionalDouble.empty();
        }
        final double hits = latestByTask.values().stream()
                .mapToDouble(m -> m.getRecallAt10() * m.getPositivesScored()).sum();
        return OptionalDouble.of(hits / positives);
    }

    public synchronized OptionalDouble rmse() {
        final long ratings = ratingsScored();
        if (ratings == 0) {
            return OptionalDouble.empty();
        }
        final double squaredErrors = latestByTask.values().stream()
                .mapToDouble(m -> m.getRmse() * m.getRmse() * m.getRatingsScored()).sum();
        return OptionalDouble.of(Math.sqrt(squaredErrors / ratings));
    }
}
