package dev.streamrec.it.infra;

import dev.streamrec.demo.broker.InProcessKafka;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The backend that needs no Docker: an in-process KRaft broker and Apicurio Registry in a JVM of
 * its own. Apicurio is an independent implementation of Confluent's REST API, so our serde is
 * checked against a registry it was not written alongside.
 */
final class EmbeddedBackend implements Backend {

    private static final Duration REGISTRY_START_TIMEOUT = Duration.ofSeconds(90);

    private final Path workDir;
    private final Path apicurioRunner;
    private InProcessKafka broker;
    private ApicurioRegistryProcess registry;

    EmbeddedBackend(final Path workDir, final Path apicurioRunner) {
        this.workDir = workDir;
        this.apicurioRunner = apicurioRunner;
    }

    @Override
    public synchronized String kafkaBootstrapServers() throws Exception {
        if (broker == null) {
            broker = InProcessKafka.start();
            StartupTimes.record("kafka-broker (embedded KRaft)", broker.startupTime());
        }
        return broker.bootstrapServers();
    }

    @Override
    public synchronized String registryUrl() throws Exception {
        if (registry == null) {
            registry = ApicurioRegistryProcess.start(apicurioRunner,
                    workDir.resolve("apicurio-registry.log"), REGISTRY_START_TIMEOUT);
        }
        return registry.ccompatUrl();
    }

    @Override
    public String describe() {
        return "embedded: in-process KRaft broker (kafka-test-common-runtime) + Apicurio Registry process ("
                + apicurioRunner + ")";
    }

    @Override
    public synchronized void close() {
        // Registry first: it holds no Kafka state, and its process must not outlive the run
        // even if closing the broker throws.
        try {
            if (registry != null) {
                registry.close();
            }
        } finally {
            registry = null;
            if (broker != null) {
                broker.close();
                broker = null;
            }
        }
    }
}
