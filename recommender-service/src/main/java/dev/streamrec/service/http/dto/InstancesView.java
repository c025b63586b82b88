package dev.streamrec.service.http.dto;

import java.util.List;
import java.util.Map;

/** Every instance of the service and the partitions it holds; {@code self} is the one answering. */
public record InstancesView(String self, List<InstanceView> instances) {

    /** One instance: advertised address, stores, and partitions per topic as active and standby. */
    public record InstanceView(String host, int port, boolean self, List<String> stores,
                               Map<String, List<Integer>> activePartitions,
                               Map<String, List<Integer>> standbyPartitions) {
    }
}
