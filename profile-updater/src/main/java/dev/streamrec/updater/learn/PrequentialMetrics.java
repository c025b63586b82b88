package dev.streamrec.updater.learn;

import dev.streamrec.updater.model.PrequentialSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The live model-quality figures of one user-stage task as Kafka Streams metrics (group
 * {@value #GROUP}, tag {@code task-id}), so JMX, {@code KafkaStreams.metrics()} and any metrics
 * reporter see them next to Streams' own: running and windowed RMSE and MAE, recall@10 and
 * recall@20, the counts behind them, the SGD steps discarded to stay finite, and the version of
 * the item model the instance scores with (tests and operators wait for a version, not a time).
 */
final class PrequentialMetrics {
    static final String GROUP = "streamrec-model";

    private final StreamsMetrics metrics;
    private final Map<Sensor, ToDoubleFunction<PrequentialSnapshot>> figures = new LinkedHashMap<>();
    private final Sensor discarded;
    private final Sensor modelVersion;
    private final Sensor items;
    private final List<Sensor> sensors = new ArrayList<>();

    PrequentialMetrics(final StreamsMetrics metrics, final String taskId) {
        this.metrics = metrics;
        final Map<String, String> tags = Map.of("task-id", taskId);
        figures.put(sensor(taskId, tags, "rmse", "Running prequential RMSE of ratings"), PrequentialSnapshot::rmse);
        figures.put(sensor(taskId, tags, "mae", "Running prequential MAE of ratings"), PrequentialSnapshot::mae);
        figures.put(sensor(taskId, tags, "window-rmse", "Prequential RMSE over the recent window"), PrequentialSnapshot::windowRmse);
        figures.put(sensor(taskId, tags, "window-mae", "Prequential MAE over the recent window"), PrequentialSnapshot::windowMae);
        figures.put(sensor(taskId, tags, "recall-at-10", "Running prequential recall@10"), PrequentialSnapshot::recallAt10);
        figures.put(sensor(taskId, tags, "recall-at-20", "Running prequential recall@20"), PrequentialSnapshot::recallAt20);
        figures.put(sensor(taskId, tags, "window-recall-at-10", "Recall@10 over the recent window"), PrequentialSnapshot::windowRecallAt10);
        figures.put(sensor(taskId, tags, "window-recall-at-20", "Recall@20 over the recent window"), PrequentialSnapshot::windowRecallAt20);
        figures.put(sensor(taskId, tags, "ratings-scored", "Ratings predicted before training"), s -> s.ratingsScored());
        figures.put(sensor(taskId, tags, "positives-scored", "Positives ranked before training"), s -> s.positivesScored());
        discarded = sensor(taskId, tags, "discarded-steps", "SGD steps dropped to keep the model finite");
        modelVersion = sensor(taskId, tags, "model-version", "Sum of the item-factor versions this instance has seen");
        items = sensor(taskId, tags, "items", "Items in this instance's scoring matrix");
    }

    private Sensor sensor(final String taskId, final Map<String, String> tags, final String name, final String description) {
        final Sensor sensor = metrics.addSensor(GROUP + "." + taskId + "." + name, Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(name, GROUP, description, tags), new Value());
        sensors.add(sensor);
        return sensor;
    }

    void record(final PrequentialSnapshot snapshot, final long discardedSteps, final long version, final int itemCount,
                final long nowMs) {
        figures.forEach((sensor, figure) -> sensor.record(figure.applyAsDouble(snapshot), nowMs));
        discarded.record(discardedSteps, nowMs);
        modelVersion.record(version, nowMs);
        items.record(itemCount, nowMs);
    }

    void close() {
        sensors.forEach(metrics::removeSensor);
    }
}
