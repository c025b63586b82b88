package dev.streamrec.bench.e2e;

import dev.streamrec.demo.broker.InProcessKafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
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

    /** End-offset sums of every topic whose name starts with {@code prefix}, largest first. */
    static Map<String, Long> of(final InProcessKafka kafka, final String prefix) throws InterruptedException {
        try (Admin admin = kafka.admin()) {
            final Set<String> topics = admin.listTopics().names().get().stream()
                    .filter(name -> name.startsWith(prefix)).collect(Collectors.toSet());
            final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (final TopicDescription d : admin.describeTopics(topics).allTopicNames().get().values()) {
                d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
            }
            final Map<String, Long> sums = new HashMap<>();
            admin.listOffsets(request).all().get().forEach((tp, info) -> sums.merge(tp.topic(), info.offset(), Long::sum));
            final Map<String, Long> sorted = new LinkedHashMap<>();
            sums.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> sorted.put(e.getKey().substring(prefix.length()), e.getValue()));
            return sorted;
        } catch (final ExecutionException e) {
            throw new IllegalStateException("Cannot read end offsets", e.getCause());
        }
    }
}
