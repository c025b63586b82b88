package dev.streamrec.bench.e2e;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the broker handled over a run, from the differences of its meters' counts (the broker runs
 * in this JVM, so they are on the platform MBean server):
 * <ul>
 *   <li>requests per type, {@code kafka.network:type=RequestMetrics,name=RequestsPerSec,request=*}:
 *       at a low offered load the broker's CPU follows requests rather than records;</li>
 *   <li>bytes appended per topic, {@code kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,topic=*}
 *       (produced batches as sent, commit markers not included): the broker's largest frame is
 *       copying appended bytes into the page cache, so bytes say which topics its time goes to.</li>
 * </ul>
 */
final class BrokerMeters {
    private static final String REQUESTS = "kafka.network:type=RequestMetrics,name=RequestsPerSec,*";
    private static final String BYTES_IN = "kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec,*";

    private final Map<String, Long> requestsAtStart;
    private final Map<String, Long> bytesInAtStart;

    private BrokerMeters() {
        requestsAtStart = requestCounts();
        bytesInAtStart = bytesInCounts();
    }

    /** Starts counting now. */
    static BrokerMeters start() {
        return new BrokerMeters();
    }

    /** Requests per type since {@link #start}, largest first; empty if the broker exposes no meters. */
    Map<String, Long> requestsSinceStart() {
        return sinceStart(requestsAtStart, requestCounts());
    }

    /** Bytes appended per topic since {@link #start}, largest first; empty if the broker exposes no meters. */
    Map<String, Long> bytesInSinceStart() {
        return sinceStart(bytesInAtStart, bytesInCounts());
    }

    private static Map<String, Long> sinceStart(final Map<String, Long> start, final Map<String, Long> now) {
        final Map<String, Long> delta = new HashMap<>();
        now.forEach((key, count) -> {
            final long d = count - start.getOrDefault(key, 0L);
            if (d > 0) {
                delta.put(key, d);
            }
        });
        final Map<String, Long> sorted = new LinkedHashMap<>();
        delta.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Current count per request type, summed over the meters' versions (one meter per API version). */
    private static Map<String, Long> requestCounts() {
        // FetchConsumer and FetchFollower split the Fetch meter: count each request once.
        return counts(REQUESTS, "request", type -> !type.equals("FetchConsumer") && !type.equals("FetchFollower"));
    }

    /** Current bytes-in count per topic (the meter without a topic key is the broker's total: skipped). */
    private static Map<String, Long> bytesInCounts() {
        return counts(BYTES_IN, "topic", topic -> true);
    }

    private static Map<String, Long> counts(final String pattern, final String key,
                                            final Predicate<String> wanted) {
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        final Map<String, Long> counts = new HashMap<>();
        try {
            for (final ObjectName name : server.queryNames(new ObjectName(pattern), null)) {
                final String value = name.getKeyProperty(key);
                if (value != null && wanted.test(value)) {
                    counts.merge(value, ((Number) server.getAttribute(name, "Count")).longValue(), Long::sum);
                }
            }
        } catch (final Exception e) {
            throw new IllegalStateException("Cannot read the broker's meters " + pattern, e);
        }
        return counts;
    }
}
