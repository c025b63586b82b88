package dev.streamrec.demo.broker;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-node KRaft cluster (one node playing broker and controller) inside this JVM, from Kafka's
 * own test kit: real broker code, real log, real transactions, listening on localhost. No
 * Docker and no second JVM. The integration tests use it as their embedded broker; the end-to-end
 * benchmark uses it so it needs one command, and its profile separates broker from application
 * threads by thread name.
 *
 * <p>The demo itself never loads this class: it runs Apache Kafka's own broker in a JVM of its own
 * ({@link KafkaBrokerProcess}). The test kit is therefore only a {@code provided} dependency of
 * this module, kept out of {@code demo.jar}'s class path; a module that starts an
 * {@code InProcessKafka} declares {@code kafka-test-common-runtime} itself, together with
 * kafka-clients' test jar and Bouncy Castle, which the kit needs at run time (see demo/pom.xml).
 */
public final class InProcessKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessKafka.class);

    private final KafkaClusterTestKit cluster;
    private final Duration startupTime;

    private InProcessKafka(final KafkaClusterTestKit cluster, final Duration startupTime) {
        this.cluster = cluster;
        this.startupTime = startupTime;
    }

    /** Formats, starts and waits for the broker; on failure nothing is left running. */
    public static InProcessKafka start() throws Exception {
        final long started = System.nanoTime();
        final TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                // The test kit defaults to the newest, unreleased metadata version; a real
                // deployment of this release runs the latest production one, so run that.
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
                // delay for tests and benchmark runs that start one consumer or one Streams
                // instance at a time.
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
        final Duration took = Duration.ofNanos(System.nanoTime() - started);
        final InProcessKafka kafka = new InProcessKafka(cluster, took);
        LOG.info("KRaft broker ready at {} in {} ms", kafka.bootstrapServers(), took.toMillis());
        return kafka;
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** From the start of {@link #start()} until the broker was ready: a slow start is worth a look. */
    public Duration startupTime() {
        return startupTime;
    }

    /** A new admin client on this broker; the caller closes it. */
    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Creates a plain (delete-policy) topic with one replica. */
    public void createTopic(final String name, final int partitions) throws InterruptedException {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (final ExecutionException e) {
            throw new IllegalStateException("Cannot create topic " + name, e.getCause());
        }
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (final Exception e) {
            throw new IllegalStateException("Could not stop the in-process KRaft broker", e);
        }
    }

    /** A failure to close after a failed start is attached to the start's failure, not lost. */
    private static void closeQuietly(final KafkaClusterTestKit cluster, final Throwable primary) {
        try {
            cluster.close();
        } catch (final Exception suppressed) {
            primary.addSuppressed(suppressed);
        }
    }
}
