package dev.streamrec.it.infra;

import java.time.Duration;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The backend for machines with a Docker engine: Apache Kafka's own image and Confluent's Schema
 * Registry, i.e. the registry our serde imitates. Same tests, different implementations on the
 * other end of the wire. Images can be overridden with it.containers.kafka.image and
 * it.containers.registry.image.
 */
final class ContainersBackend implements Backend {

    /** Name under which the registry container reaches the broker on their private network. */
    private static final String KAFKA_ALIAS = "kafka";
    private static final String KAFKA_INTERNAL_LISTENER = KAFKA_ALIAS + ":19092";
    private static final int REGISTRY_PORT = 8081;

    private final String kafkaImage = System.getProperty("it.containers.kafka.image", "apache/kafka:4.1.0");
    private final String registryImage =
            System.getProperty("it.containers.registry.image", "confluentinc/cp-schema-registry:7.9.0");

    private Network network;
    private KafkaContainer kafka;
    private GenericContainer<?> registry;

    /**
     * False where there is no Docker engine (e.g. the docker CLI without a daemon): callers turn
     * that into a skipped test, never a failure.
     */
    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (final RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public synchronized String kafkaBootstrapServers() {
        if (kafka == null) {
            final long started = System.nanoTime();
            network = Network.newNetwork();
            final KafkaContainer container = new KafkaContainer(DockerImageName.parse(kafkaImage))
                    .withNetwork(network)
                    .withNetworkAliases(KAFKA_ALIAS)
                    // A second listener for clients inside the Docker network (the registry);
                    // the default one is mapped to the host for the tests.
                    .withListener(KAFKA_INTERNAL_LISTENER)
                    .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
            container.start();
            kafka = container;
            StartupTimes.record("kafka-broker (container)", Duration.ofNanos(System.nanoTime() - started));
        }
        return kafka.getBootstrapServers();
    }

    @Override
    public synchronized String registryUrl() {
        if (registry == null) {
            kafkaBootstrapServers();
            final long started = System.nanoTime();
            final GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(registryImage))
                    .withNetwork(network)
                    .withExposedPorts(REGISTRY_PORT)
                    .withEnv("SCHEMA_REGISTRY_HOST_NAME", "schema-registry")
                    .withEnv("SCHEMA_REGISTRY_LISTENERS", "http://0.0.0.0:" + REGISTRY_PORT)
                    .withEnv("SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", "PLAINTEXT://" + KAFKA_INTERNAL_LISTENER)
                    .waitingFor(Wait.forHttp("/subjects").forStatusCode(200)
                            .withStartupTimeout(Duration.ofMinutes(2)));
            container.start();
            registry = container;
            StartupTimes.record("schema-registry (container)", Duration.ofNanos(System.nanoTime() - started));
        }
        return "http://" + registry.getHost() + ":" + registry.getMappedPort(REGISTRY_PORT);
    }

    @Override
    public String describe() {
        return "containers: " + kafkaImage + " + " + registryImage;
    }

    @Override
    public synchronized void close() {
        try {
            if (registry != null) {
                registry.stop();
            }
        } finally {
            registry = null;
            try {
                if (kafka != null) {
                    kafka.stop();
                }
            } finally {
                kafka = null;
                if (network != null) {
                    network.close();
                    network = null;
                }
            }
        }
    }
}
