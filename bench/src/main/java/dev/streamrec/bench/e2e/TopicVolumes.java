package dev.streamrec.bench.e2e;

import dev.streamrec.demo.broker.InProcessKafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * How much a run wrote to the broker, per topic of the application (inputs, outputs, changelogs,
 * repartition topics): the sum of the partitions' end offsets. Under exactly-once every committed
 * transaction also writes one commit marker per partition it touched, and markers take offsets
 * too, so these are offsets, not records; they are what the broker had to append.
 */
final class TopicVolumes {
    private TopicVolumes() {
    }

    /**
     * Offsets of {@code topic} that consumer group {@code group} has not committed yet: end offset −
     * committed offset, summed over partitions (a partition with no commit yet counts from 0). A
     * drained partition under exactly-once may still show the final transaction's commit marker,
     * so "drained" is at most one offset per partition.
     */
    static Lag lag(final Admin admin, final String group, final String topic) throws InterruptedException {
        try {
            final Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
            final TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
            final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            long behind = 0;
            for (final Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end
                    : admin.listOffsets(request).all().get().entrySet()) {
                final OffsetAndMetadata done = committed.get(end.getKey());
                behind += end.getValue().offset() - (done == null ? 0 : done.offset());
            }
            return new Lag(behind, request.size());
        } catch (final ExecutionException e) {
            throw new IllegalStateException("Cannot read the offsets of " + group + " on " + topic, e.getCause());
        }
    }

    /** How far a group is behind on one topic. */
    record Lag(long offsets, int partitions) {
        boolean drained() {
            return offsets <= partitions;
        }
    }

    /** End-offset sums of every topic of the run named {@code prefix} (see {@link #ofRun}), largest first. */
    static Map<String, Long> of(final InProcessKafka kafka, final String prefix) throws InterruptedException {
        try (Admin admin = kafka.admin()) {
            final Set<String> topics = admin.listTopics().names().get().stream()
                    .filter(name -> isOfRun(name, prefix)).collect(Collectors.toSet());
            final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (final TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
                d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            final Map<String, Long> sums = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> sums.merge(tp.topic(), info.offset(), Long::sum));
            return ofRun(sums, prefix);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("Cannot read end offsets", e.getCause());
        }
    }

    /**
     * The entries of {@code perTopic} whose topic belongs to the run named {@code prefix} (its
     * topics are {@code prefix.<topic>} and its internal ones {@code prefix-<store>-changelog} and
     * the like), keyed by the name without the prefix, largest first. Run "tput1" does not take
     * the topics of "tput10".
     */
    static Map<String, Long> ofRun(final Map<String, Long> perTopic, final String prefix) {
        final Map<String, Long> sorted = new LinkedHashMap<>();
        perTopic.entrySet().stream().filter(e -> isOfRun(e.getKey(), prefix))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey().substring(prefix.length()), e.getValue()));
        return sorted;
    }

    private static boolean isOfRun(final String topic, final String prefix) {
        return topic.startsWith(prefix + ".") || topic.startsWith(prefix + "-");
    }
}
