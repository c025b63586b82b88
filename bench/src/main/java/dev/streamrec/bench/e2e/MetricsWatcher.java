package dev.streamrec.bench.e2e;

import dev.streamrec.schemas.ModelMetrics;
import dev.streamrec.updater.topology.TopicSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads {@code model.metrics} (task id → ModelMetrics, read_committed) and combines the latest
 * summary of every task into one figure for the application: counts add up, RMSE and MAE are
 * weighted by ratings scored (RMSE through its mean square), recall by positives scored.
 */
final class MetricsWatcher implements AutoCloseable {
    /** The application-wide prequential figures at one moment. */
    record Combined(long atMs, long ratingsScored, double rmse, double mae, long positivesScored,
                    double recallAt10, double recallAt20, double windowRecallAt20) {
    }

    private final KafkaConsumer<String, ModelMetrics> consumer;
    private final Map<String, ModelMetrics> latest = new HashMap<>();
    private final List<Combined> history = new ArrayList<>();

    MetricsWatcher(final String bootstrap, final TopicSpec<String, ModelMetrics> topic) {
        final Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), topic.valueSerde().deserializer());
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final PartitionInfo p : consumer.partitionsFor(topic.name())) {
            partitions.add(new TopicPartition(topic.name(), p.partition()));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Polls until {@code done} holds for the combined figures or the timeout passes; returns the last. */
    Combined awaitCombined(final Predicate<Combined> done, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        Combined last = combine(0);
        while (System.nanoTime() < deadline) {
            boolean changed = false;
            for (final ConsumerRecord<String, ModelMetrics> record : consumer.poll(Duration.ofMillis(100))) {
                latest.put(record.key(), record.value());
                changed = true;
                last = combine(record.value().getEmittedAt().toEpochMilli());
                history.add(last);
            }
            if (changed && done.test(last)) {
                break;
            }
        }
        return last;
    }

    List<Combined> history() {
        return List.copyOf(history);
    }

    private Combined combine(final long atMs) {
        long ratings = 0;
        long positives = 0;
        double squared = 0;
        double absolute = 0;
        double hits10 = 0;
        double hits20 = 0;
        double windowHits20 = 0;
        for (final ModelMetrics m : latest.values()) {
            ratings += m.getRatingsScored();
            squared += m.getRatingsScored() * m.getRmse() * m.getRmse();
            absolute += m.getRatingsScored() * m.getMae();
            positives += m.getPositivesScored();
            hits10 += m.getPositivesScored() * m.getRecallAt10();
            hits20 += m.getPositivesScored() * m.getRecallAt20();
            windowHits20 += m.getPositivesScored() * m.getWindowRecallAt20();
        }
        return new Combined(atMs, ratings, ratings == 0 ? 0 : Math.sqrt(squared / ratings),
                ratings == 0 ? 0 : absolute / ratings, positives, positives == 0 ? 0 : hits10 / positives,
                positives == 0 ? 0 : hits20 / positives, positives == 0 ? 0 : windowHits20 / positives);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
