package dev.streamrec.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, the stack for users with Docker (there is no Docker engine here to run it).
 * Both applications exit with status 1 by design when they cannot go on (a failed global thread,
 * too many replaced stream threads, an unreachable registry) so that a supervisor restarts them;
 * without a restart policy compose left them dead. And the service was started once the updater
 * had started, not once it had created the topics the service reads.
 */
class DockerComposeTest {
    private static final Path COMPOSE = Path.of("..", "docker-compose.yml");
    private static final List<String> APPLICATIONS = List.of("profile-updater", "recommender-service");

    private static JsonNode services() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(COMPOSE.toFile()).path("services");
    }

    @Test
    void theApplicationsAreRestartedWhenTheyExitWithAFailure() throws IOException {
        final JsonNode services = services();
        for (final String application : APPLICATIONS) {
            assertThat(services.path(application).path("restart").asText()).as(application).isEqualTo("on-failure");
        }
    }

    @Test
    void theServiceStartsOnceTheUpdaterIsHealthy() throws IOException {
        assertThat(services().path("recommender-service").path("depends_on").path("profile-updater")
                .path("condition").asText()).isEqualTo("service_healthy");
    }

    /** A service_healthy condition on a service without a healthcheck never comes true. */
    @Test
    void everyServiceWaitedForAsHealthyHasAHealthcheck() throws IOException {
        final JsonNode services = services();
        services.fields().forEachRemaining(service -> service.getValue().path("depends_on").fields()
                .forEachRemaining(dependency -> {
                    if ("service_healthy".equals(dependency.getValue().path("condition").asText())) {
                        assertThat(services.path(dependency.getKey()).path("healthcheck").path("test").isArray())
                                .as("%s waits for %s to be healthy", service.getKey(), dependency.getKey()).isTrue();
                    }
                }));
    }
}
