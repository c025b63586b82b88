package dev.streamrec.it.infra;

import java.time.Duration;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-node KRaft cluster (one process playing broker and controller) inside the test JVM, from
 * Kafka's own test kit. Real broker code, real transactions; no Docker and no second JVM.
 */
final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final KafkaClusterTestKit cluster;

    private EmbeddedKafkaBroker(final KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static EmbeddedKafkaBroker start() throws Exception {
        final long started = System.nanoTime();
        final TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                // The test kit defaults to the newest, unreleased metadata version; a real
                // deployment of this release runs the latest production one, so test that.
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build();
        final KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                // The internal topics default to replication factor 3: on one broker the group
                // coordinator and transaction coordinator could never be created, and consumers
                // and transactional producers would wait forever without an error.
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "5")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "5")
                // Default 3 s of waiting for more members before every first rebalance: pure
                // delay for tests that start one consumer or one Streams instance at a time.
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                // Topics are created explicitly so a typo fails instead of silently making one.
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (final Exception | Error e) {
            closeQuietly(cluster, e);
            throw e;
        }
        final EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(cluster);
        LOG.info("KRaft broker ready at {} in {} ms", broker.bootstrapServers(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        StartupTimes.record("kafka-broker (embedded KRaft)", Duration.ofNanos(System.nanoTime() - started));
        return broker;
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (final Exception e) {
            throw new IllegalStateException("Could not stop the embedded KRaft broker", e);
        }
    }

    private static void closeQuietly(final KafkaClusterTestKit cluster, final Throwable primary) {
        try {
            cluster.close();
        } catch (final Exception suppressed) {
            primary.addSuppressed(suppressed);
        }
    }
}
