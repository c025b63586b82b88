package dev.streamrec.it.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keeps the Testcontainers backend honest where a Docker engine exists: Apache Kafka's image and
 * Confluent's own Schema Registry come up and do what the suite needs. Without Docker (as on the
 * project's CI machine) the class is skipped, never failed; the embedded backend runs the suite.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ContainersBackendIT {

    @Test
    void confluentRegistryAndApacheKafkaImagesServeTheSuite() {
        // In the test, not in @BeforeAll: then the report counts it as skipped, visibly.
        assumeTrue(ContainersBackend.dockerAvailable(),
                "No Docker engine reachable: Testcontainers backend skipped (the embedded backend runs the ITs)");
        try (ContainersBackend backend = new ContainersBackend()) {
            final TestKafka kafka = new TestKafka(backend.kafkaBootstrapServers());
            try {
                final String topic = UniqueNames.unique("containers-smoke");
                kafka.createTopic(topic, 1, false);
                kafka.produce(topic, new StringSerializer(), new StringSerializer(), "k", "v");
                final List<ConsumerRecord<String, String>> read = kafka.consume(topic, new StringDeserializer(),
                        new StringDeserializer(), 1, Duration.ofSeconds(60));
                assertThat(read).extracting(ConsumerRecord::value).containsExactly("v");
            } finally {
                kafka.close();
            }

            final TestRegistry registry = TestRegistry.connect(backend.registryUrl());
            final int id = registry.register(UniqueNames.unique("containers-smoke") + "-value", "\"string\"");
            assertThat(registry.schemaById(id)).isEqualTo("\"string\"");
        }
    }
}
