package dev.streamrec.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The broker's meters as JMX shows them (request meters: one MBean per request type and API
 * version; bytes-in meters: one per topic and one total without a topic key; each with a
 * {@code Count} attribute), registered here by hand: what {@link BrokerMeters} must add up.
 */
class BrokerMetersTest {
    /** The attribute the broker's Yammer meters expose through JMX. */
    public interface MeterMBean {
        long getCount();
    }

    public static final class Meter implements MeterMBean {
        private long count;

        Meter(final long count) {
            this.count = count;
        }

        @Override
        public long getCount() {
            return count;
        }
    }

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final List<ObjectName> registered = new ArrayList<>();

    private Meter meter(final String request, final int version, final long count) throws Exception {
        return register("kafka.network:type=RequestMetrics,name=RequestsPerSec,request=" + request + ",version=" + version, count);
    }

    private Meter register(final String objectName, final long count) throws Exception {
        final Meter meter = new Meter(count);
        final ObjectName name = new ObjectName(objectName);
        server.registerMBean(meter, name);
        registered.add(name);
        return meter;
    }

    @AfterEach
    void unregister() throws Exception {
        for (final ObjectName name : registered) {
            server.unregisterMBean(name);
        }
    }

    @Test
    void countsRequestsSinceTheStartPerTypeOverVersionsAndEachFetchOnce() throws Exception {
        final Meter produceV11 = meter("Produce", 11, 500);
        final Meter produceV12 = meter("Produce", 12, 7);
        final Meter fetch = meter("Fetch", 17, 40);
        final Meter fetchConsumer = meter("FetchConsumer", 17, 40); // the same requests, split by client kind
        meter("EndTxn", 5, 3); // no requests during the run: not listed

        final BrokerMeters requests = BrokerMeters.start();
        produceV11.count += 30;
        produceV12.count += 12;
        fetch.count += 5;
        fetchConsumer.count += 5;
        meter("AddPartitionsToTxn", 5, 9); // first seen during the run

        // Largest first; FetchConsumer is not counted again.
        assertThat(requests.requestsSinceStart()).containsExactly(
                Map.entry("Produce", 42L), Map.entry("AddPartitionsToTxn", 9L), Map.entry("Fetch", 5L));
    }

    @Test
    void countsBytesAppendedSinceTheStartPerTopicWithoutTheBrokerTotal() throws Exception {
        final String bytesIn = "kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec";
        final Meter total = register(bytesIn, 1_000);
        final Meter profiles = register(bytesIn + ",topic=app.profiles", 600);
        final Meter steps = register(bytesIn + ",topic=app-item-steps-repartition", 400);
        register(bytesIn + ",topic=idle", 50); // nothing appended during the run: not listed

        final BrokerMeters meters = BrokerMeters.start();
        total.count += 9_000;
        profiles.count += 2_000;
        steps.count += 7_000;

        assertThat(meters.bytesInSinceStart()).containsExactly(
                Map.entry("app-item-steps-repartition", 7_000L), Map.entry("app.profiles", 2_000L));
    }
}
