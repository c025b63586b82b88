package dev.streamrec.bench.e2e;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many requests of each type the broker handled over a run: the difference of its
 * {@code kafka.network:type=RequestMetrics,name=RequestsPerSec,request=*} meters' counts (the
 * broker runs in this JVM, so they are on the platform MBean server). At a low offered load the
 * broker's CPU follows requests rather than records; this says which requests.
 */
final class BrokerRequests {
    private static final String PATTERN = "kafka.network:type=RequestMetrics,name=RequestsPerSec,*";

    private final Map<String, Long> start;

    private BrokerRequests() {
        start = counts();
    }

    /** Starts counting now. */
    static BrokerRequests start() {
        return new BrokerRequests();
    }

    /** Requests per type since {@link #start}, largest first; empty if the broker exposes no meters. */
    Map<String, Long> sinceStart() {
        final Map<String, Long> delta = new HashMap<>();
        counts().forEach((type, count) -> {
            final long d = count - start.getOrDefault(type, 0L);
            if (d > 0) {
                delta.put(type, d);
            }
        });
        final Map<String, Long> sorted = new LinkedHashMap<>();
        delta.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Current count per request type, summed over the meters' versions (one meter per API version). */
    private static Map<String, Long> counts() {
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        final Map<String, Long> counts = new HashMap<>();
        try {
            for (final ObjectName name : server.queryNames(new ObjectName(PATTERN), null)) {
                final String type = name.getKeyProperty("request");
                // FetchConsumer and FetchFollower split the Fetch meter: count each request once.
                if (type != null && !type.equals("FetchConsumer") && !type.equals("FetchFollower")) {
                    counts.merge(type, ((Number) server.getAttribute(name, "Count")).longValue(), Long::sum);
                }
            }
        } catch (final Exception e) {
            throw new IllegalStateException("Cannot read the broker's request meters", e);
        }
        return counts;
    }
}
