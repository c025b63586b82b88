package dev.streamrec.it.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.serde.SchemaRegistryClients;
import dev.streamrec.serde.SerdeConfig;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shared registry behaves as the serde and the tests assume Confluent's does: BACKWARD by
 * default, stable ids, and 409 for an incompatible schema.
 */
@Tag("integration")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RegistryIT {

    private static final String V1 = """
            {"type":"record","name":"Probe","namespace":"dev.streamrec.it","fields":[
              {"name":"id","type":"string"}]}""";
    private static final String V2_DEFAULTED = """
            {"type":"record","name":"Probe","namespace":"dev.streamrec.it","fields":[
              {"name":"id","type":"string"},
              {"name":"score","type":"double","default":0.0}]}""";
    /** Adds a field without default: a V3 reader could not read V2 data, so BACKWARD refuses it. */
    private static final String V3_REQUIRED = """
            {"type":"record","name":"Probe","namespace":"dev.streamrec.it","fields":[
              {"name":"id","type":"string"},
              {"name":"score","type":"double","default":0.0},
              {"name":"rank","type":"int"}]}""";

    private final TestRegistry registry = ItEnvironment.registry();

    @Test
    void globalCompatibilityIsBackwardLikeConfluentsDefault() {
        final TestRegistry.Response config = registry.send("GET", "/config", null);

        assertThat(config.status()).isEqualTo(200);
        assertThat(config.body().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    @Test
    void anUnknownSchemaIdIsAnsweredWithTheSchemaNotFoundCodeTheSerdeTakesForAnUnknownSchema() {
        // The deserialization handlers set a record aside as UNKNOWN_SCHEMA only on error_code
        // 40403; any other 404 (a wrong base path) stops the application.
        final TestRegistry.Response unknown = registry.send("GET", "/schemas/ids/" + 0x7f000000, null);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("error_code").asInt()).isEqualTo(40403);
    }

    /** The start-time check both applications make passes at the API's base, not above it. */
    @Test
    void theStartCheckAcceptsTheCompatibleApisBaseAndRefusesTheRegistrysRoot() {
        SchemaRegistryClients.requireRegistryAt(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, registry.url()));

        // Apicurio's root (its compatible API lives below it); for Confluent's, a path below its base.
        final String root = registry.url().contains("/apis/ccompat/v7")
                ? registry.url().replace("/apis/ccompat/v7", "") : registry.url() + "/no-such-base";
        assertThatThrownBy(() -> SchemaRegistryClients.requireRegistryAt(Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, root)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(SerdeConfig.SCHEMA_REGISTRY_URL);
    }

    @Test
    void registeredSchemaIsServedBackByIdAndReRegisteringGivesTheSameId() {
        final String subject = UniqueNames.unique("registry-probe") + "-value";

        final int id = registry.register(subject, V1);

        assertThat(new Schema.Parser().parse(registry.schemaById(id))).isEqualTo(new Schema.Parser().parse(V1));
        assertThat(registry.register(subject, V1)).isEqualTo(id);
    }

    @Test
    void backwardCompatibleEvolutionIsAcceptedAndARequiredNewFieldIsRejected() {
        final String subject = UniqueNames.unique("registry-evolve") + "-value";
        final int v1 = registry.register(subject, V1);

        final int v2 = registry.register(subject, V2_DEFAULTED);
        final TestRegistry.Response rejected = registry.send("POST", "/subjects/" + subject + "/versions",
                JsonNodeFactory.instance.objectNode().put("schema", V3_REQUIRED));

        assertThat(v2).isNotEqualTo(v1);
        assertThat(rejected.status()).isEqualTo(409);
    }
}
