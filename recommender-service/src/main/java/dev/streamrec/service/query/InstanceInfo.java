package dev.streamrec.service.query;

import java.util.List;
import java.util.Map;

/**
 * One instance of the service as Kafka Streams' metadata describes it: its advertised HTTP
 * address, the stores it hosts, and the partitions it holds per topic, as active and as standby.
 */
public record InstanceInfo(String host, int port, boolean self, List<String> stores,
                           Map<String, List<Integer>> activePartitions,
                           Map<String, List<Integer>> standbyPartitions) {
}
