package dev.streamrec.service.query;

import dev.streamrec.service.config.ServiceConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;

/**
 * One instance of the service as Kafka Streams' metadata describes it: its advertised HTTP
 * address, the stores it hosts, and the partitions it holds per topic, as active and as standby.
 */
public record InstanceInfo(String host, int port, boolean self, List<String> stores,
                           Map<String, List<Integer>> activePartitions,
                           Map<String, List<Integer>> standbyPartitions) {

    /**
     * {@code host:port} as the instance names itself (its {@code application.server}, an IPv6 host
     * in brackets): what its forwards carry in {@code X-Streamrec-Forwarded-By}.
     */
    public String endpoint() {
        return ServiceConfig.endpoint(new HostInfo(host, port));
    }
}
