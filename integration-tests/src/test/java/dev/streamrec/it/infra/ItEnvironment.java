package dev.streamrec.it.infra;

import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker and registry shared by every integration test of one run: the single place where the
 * backend is chosen, each server started on first use, and all stopped by
 * {@link ItSessionListener} after the last test (whatever happened), with JVM shutdown hooks as a
 * backstop.
 *
 * <p>System properties (set by failsafe from the integration-tests POM):
 * <ul>
 *   <li>{@code it.backend}: {@code embedded} (default; in-process KRaft broker and an Apicurio
 *       Registry process) or {@code containers} (Testcontainers; tests are skipped, not failed,
 *       where no Docker engine is reachable);</li>
 *   <li>{@code it.apicurio.runner}: the Apicurio Registry quarkus-run.jar;</li>
 *   <li>{@code it.work.dir}: where logs (registry output, start-up times) and state go.</li>
 * </ul>
 */
public final class ItEnvironment {

    private static final Logger LOG = LoggerFactory.getLogger(ItEnvironment.class);

    private static Backend backend;
    private static TestKafka kafka;
    private static TestRegistry registry;
    // A failed start is remembered so the next hundred tests fail at once with the same cause
    // instead of each spending a start-up timeout on it.
    private static RuntimeException kafkaFailure;
    private static RuntimeException registryFailure;

    private ItEnvironment() {
    }

    /** The shared broker, started on first call. */
    public static synchronized TestKafka kafka() {
        if (kafka == null) {
            if (kafkaFailure != null) {
                throw kafkaFailure;
            }
            // Outside the try: an aborted assumption (no Docker) must skip the test, not fail it.
            final Backend chosen = backend();
            try {
                kafka = new TestKafka(chosen.kafkaBootstrapServers());
            } catch (final Exception e) {
                kafkaFailure = new IllegalStateException("Could not start the test Kafka broker ("
                        + chosen.describe() + ")", e);
                throw kafkaFailure;
            }
        }
        return kafka;
    }

    /** The shared schema registry, started on first call. */
    public static synchronized TestRegistry registry() {
        if (registry == null) {
            if (registryFailure != null) {
                throw registryFailure;
            }
            final Backend chosen = backend();
            try {
                registry = TestRegistry.connect(chosen.registryUrl());
            } catch (final Exception e) {
                registryFailure = new IllegalStateException("Could not start the test schema registry ("
                        + chosen.describe() + ")", e);
                throw registryFailure;
            }
        }
        return registry;
    }

    /** Directory for logs and state files of this run (under the module's target/). */
    public static Path workDir() {
        return Path.of(System.getProperty("it.work.dir", "target/it-work")).toAbsolutePath();
    }

    /** Stops whatever was started. Idempotent; called once the launcher session closes. */
    static synchronized void shutdown() {
        try {
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            kafka = null;
            registry = null;
            if (backend != null) {
                LOG.info("Stopping integration-test backend: {}", backend.describe());
                backend.close();
                backend = null;
            }
        }
    }

    private static Backend backend() {
        if (backend == null) {
            final String name = System.getProperty("it.backend", "embedded");
            backend = switch (name) {
                case "embedded" -> new EmbeddedBackend(workDir(), Path.of(System.getProperty(
                        "it.apicurio.runner", "apicurio-registry/target/quarkus-app/quarkus-run.jar")).toAbsolutePath());
                case "containers" -> {
                    // Aborting (not failing) marks the tests skipped: a machine without Docker
                    // is a reason not to run this backend, not a defect of the code under test.
                    Assumptions.assumeTrue(ContainersBackend.dockerAvailable(),
                            "it.backend=containers but no Docker engine is reachable");
                    yield new ContainersBackend();
                }
                default -> throw new IllegalArgumentException(
                        "it.backend must be 'embedded' or 'containers', was '" + name + "'");
            };
            LOG.info("Integration-test backend: {}", backend.describe());
        }
        return backend;
    }
}
