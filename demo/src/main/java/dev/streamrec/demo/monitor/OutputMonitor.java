package dev.streamrec.demo.monitor;

import dev.streamrec.schemas.ModelMetrics;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.updater.topology.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the system's outputs as a downstream consumer would (read_committed: under exactly-once
 * only committed results are visible) and fills {@link RunStats}: counts of {@code events.dlq},
 * {@code profiles.users} and {@code recommendations.users} records, the event-to-recommendation
 * latency of each list ({@code now - triggerIngestTime} when the list reaches this consumer, so it
 * includes the transaction commit a real reader waits for), and the latest {@code model.metrics}
 * record of each task. It assigns every partition itself: no group, no rebalance, no offsets left.
 */
public final class OutputMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputMonitor.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Topics topics;
    private final RunStats stats;
    private final Thread thread;
    private volatile boolean running = true;

    public OutputMonitor(final String bootstrapServers, final Topics topics, final RunStats stats) {
        this.topics = topics;
        this.stats = stats;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "streamrec-demo-monitor"),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "demo-output-monitor");
        this.thread.setDaemon(true);
    }

    /** Assigns every partition of the output topics (they must exist) and starts reading. */
    public void start() {
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final String topic : List.of(topics.deadLetter, topics.profiles.name(), topics.recommendations.name(),
                topics.metrics.name())) {
            final List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("Output topic " + topic + " does not exist");
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread.start();
    }

    private void run() {
        try {
            while (running) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    handle(record);
                }
            }
        } catch (final WakeupException stopping) {
            // close() woke the poll: the normal way out.
        } catch (final RuntimeException e) {
            LOG.error("The output monitor stopped; the status line will stop moving", e);
        }
    }

    private void handle(final ConsumerRecord<String, byte[]> record) {
        final String topic = record.topic();
        if (topic.equals(topics.deadLetter)) {
            stats.deadLettered.incrementAndGet();
        } else if (topic.equals(topics.profiles.name())) {
            stats.profilesOut.incrementAndGet();
        } else if (topic.equals(topics.recommendations.name())) {
            stats.recommendationsOut.incrementAndGet();
            if (record.value() != null) {
                recommendations(topics.recommendations.valueSerde().deserializer().deserialize(topic, record.value()));
            }
        } else if (topic.equals(topics.metrics.name()) && record.value() != null) {
            final ModelMetrics metrics = topics.metrics.valueSerde().deserializer().deserialize(topic, record.value());
            stats.quality.update(metrics);
        }
    }

    private void recommendations(final Recommendations recommendations) {
        final long now = System.currentTimeMillis();
        final long trigger = recommendations.getTriggerIngestTime().toEpochMilli();
        // 0 (the schema default) means the producer of the list did not know: no sample.
        if (trigger > 0) {
            stats.latency.add(now, Math.max(0, now - trigger));
        }
        if (!recommendations.getItems().isEmpty()) {
            final boolean personalised = !recommendations.getStrategy().equals("popular");
            final RunStats.Example current = stats.example.get();
            if (current == null || personalised && !current.personalised()) {
                stats.example.set(new RunStats.Example(recommendations.getUserId(),
                        recommendations.getItems().get(0).getItemId(), personalised));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
