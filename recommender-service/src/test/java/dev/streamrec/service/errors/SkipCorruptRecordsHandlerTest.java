package dev.streamrec.service.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.schemas.RecommendedItem;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.serde.SchemaRegistryException;
import dev.streamrec.service.config.ServiceConfig;
import dev.streamrec.service.items.MatrixItemVectors;
import dev.streamrec.service.quality.ModelQuality;
import dev.streamrec.service.topology.ServiceStores;
import dev.streamrec.service.topology.ServiceTopology;
import dev.streamrec.updater.topology.Topics;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corrupt record is skipped; a registry that could not answer stops processing so the record is
 * read again later instead of being lost.
 */
class SkipCorruptRecordsHandlerTest {
    /** Schema Registry wire format naming schema id 7, which no registry here knows. */
    private static final byte[] FRAMED = {0, 0, 0, 0, 7, 2, 'x'};
    private static final ConsumerRecord<byte[], byte[]> RECORD =
            new ConsumerRecord<>("recommendations.users", 1, 42L, "u1".getBytes(StandardCharsets.UTF_8), FRAMED);

    @TempDir
    Path stateDir;

    private static Result resultFor(final Exception exception) {
        return new SkipCorruptRecordsHandler().handleError(null, RECORD, exception).result();
    }

    @Test
    void corruptPayloadsAndUnknownSchemasAreSkippedButRegistryFailuresStop() {
        assertThat(resultFor(new SerializationException("Not Schema Registry wire format"))).isEqualTo(Result.RESUME);
        assertThat(resultFor(new SchemaRegistryException("Schema 7 not found", "id:7", 404, 40403, null)))
                .isEqualTo(Result.RESUME);
        assertThat(resultFor(new SchemaRegistryException("unavailable", "id:7", -1, -1, null)))
                .as("unreachable").isEqualTo(Result.FAIL);
        assertThat(resultFor(new SchemaRegistryException("unavailable", "id:7", 503, -1, null)))
                .as("5xx after retries").isEqualTo(Result.FAIL);
        assertThat(resultFor(new SerializationException("decoding failed",
                new SchemaRegistryException("unavailable", "id:7", -1, -1, null))))
                .as("found as a cause too").isEqualTo(Result.FAIL);
    }

    @Test
    void theServiceConfiguresIt() {
        assertThat(ServiceConfig.of(Map.of()).streamsProperties()
                .get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(SkipCorruptRecordsHandler.class);
    }

    @Test
    void anUnreachableRegistryStopsTheTopologyInsteadOfDroppingTheRecord() throws Exception {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        final ServiceConfig config = config("http://127.0.0.1:" + closedPort);
        try (TopologyTestDriver driver = driver(config)) {
            final var input = driver.createInputTopic(config.topics().recommendations(), new StringSerializer(),
                    new ByteArraySerializer());
            assertThatThrownBy(() -> input.pipeInput("u1", FRAMED)).isInstanceOf(StreamsException.class)
                    .hasStackTraceContaining("unavailable");
        }
    }

    @Test
    void aCorruptRecordIsSkippedAndTheNextOneServed() {
        final ServiceConfig config = config("mock://skip-corrupt-" + UUID.randomUUID());
        final Topics topics = new Topics(config.topics(), config.serdeConfig());
        try (TopologyTestDriver driver = driver(config)) {
            final var raw = driver.createInputTopic(config.topics().recommendations(), new StringSerializer(),
                    new ByteArraySerializer());
            raw.pipeInput("u1", new byte[] {9, 9});
            raw.pipeInput("u1", FRAMED);
            final Recommendations recs = Recommendations.newBuilder().setUserId("u2")
                    .setItems(List.of(new RecommendedItem("i1", 0.9, "mf"))).setStrategy("mf").setModelVersion(1)
                    .setGeneratedAt(Instant.ofEpochMilli(1)).build();
            driver.createInputTopic(topics.recommendations.name(), topics.recommendations.keySerde().serializer(),
                    topics.recommendations.valueSerde().serializer()).pipeInput("u2", recs);
            final KeyValueStore<String, Recommendations> store =
                    driver.getKeyValueStore(ServiceStores.RECOMMENDATIONS);
            assertThat(store.get("u1")).isNull();
            assertThat(store.get("u2")).isEqualTo(recs);
        }
    }

    private ServiceConfig config(final String registryUrl) {
        return ServiceConfig.of(Map.of("schema.registry.url", registryUrl, "state.dir", stateDir.toString(),
                "application.id", "skip-corrupt-test", "serde.schema.registry.max.retries", "0"));
    }

    private static TopologyTestDriver driver(final ServiceConfig config) {
        final MatrixItemVectors items = new MatrixItemVectors(config.itemDimensions(), 0, config.trendingHalfLife());
        return new TopologyTestDriver(ServiceTopology.build(config, items, new ModelQuality()),
                config.streamsProperties());
    }
}
