package dev.streamrec.it.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.it.infra.Await;
import dev.streamrec.it.infra.ItEnvironment;
import dev.streamrec.it.infra.UniqueNames;
import dev.streamrec.service.ServiceRuntime;
import dev.streamrec.service.config.ServiceConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A service that cannot start Kafka Streams (here: a global store's topic does not exist yet, as on
 * a first {@code docker compose up} where the service comes up before the updater has created its
 * topics) must fail the start and leave nothing running. The HTTP server starts first, so health
 * answers during a restore; when Kafka Streams' start threw, its non-daemon Jetty threads kept the
 * JVM alive with liveness DOWN, and {@code ServiceMain} never reached its exit with status 1.
 */
@Tag("integration")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ServiceStartFailureIT {

    @Test
    void aFailedKafkaStreamsStartStopsTheHttpServerAndThrows() throws IOException {
        final ServiceInstances app = new ServiceInstances(ItEnvironment.kafka(), ItEnvironment.registry(), 2);
        app.topics.put("topic.item.factors", UniqueNames.unique("never-created-item-factors"));
        final int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        final Path stateRoot = ItEnvironment.workDir().resolve("streams-state");
        Files.createDirectories(stateRoot);
        final ServiceConfig config = app.config(port, Files.createTempDirectory(stateRoot, app.applicationId + "-"));

        assertThatThrownBy(() -> ServiceRuntime.start(config)).isInstanceOf(StreamsException.class);

        try (ServerSocket rebound = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(rebound.getLocalPort()).as("the HTTP port was released").isEqualTo(port);
        }
        Await.until(Duration.ofSeconds(30), () -> Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.isAlive() && !t.isDaemon() && t.getName().startsWith("JettyServerThreadPool")),
                () -> "Jetty's non-daemon threads still running after the failed start");
    }
}
