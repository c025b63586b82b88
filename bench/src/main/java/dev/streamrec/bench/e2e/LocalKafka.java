package dev.streamrec.bench.e2e;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * A one-node KRaft broker (combined broker and controller) in this JVM, from Kafka's own test
 * kit: real log, real transaction coordinator, listening on 127.0.0.1 only. In-process so the
 * benchmark needs no Docker and one command; the profile then separates broker from application
 * threads by thread name.
 */
final class LocalKafka implements AutoCloseable {
    private final KafkaClusterTestKit cluster;

    private LocalKafka(final KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static LocalKafka start() throws Exception {
        final TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build();
        final KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                // One broker: internal topics must not ask for three replicas, or the group and
                // transaction coordinators never come up and clients wait without an error.
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "5")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "5")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (final Exception | Error e) {
            cluster.close();
            throw e;
        }
        return new LocalKafka(cluster);
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates a plain (delete-policy) topic. */
    void createTopic(final String name, final int partitions) throws InterruptedException {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (final ExecutionException e) {
            throw new IllegalStateException("Cannot create topic " + name, e.getCause());
        }
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
