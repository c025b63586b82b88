package dev.streamrec.updater.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.updater.config.UpdaterConfig;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.Test;

class TopicProvisionerTest {

    @Test
    void adminClientGetsTheClientSettingsKafkaStreamsGets() {
        final UpdaterConfig config = UpdaterConfig.of(Map.of(
                "bootstrap.servers", "broker-1:9093",
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "kafka.ssl.truststore.location", "/etc/kafka/truststore.jks",
                "kafka.request.timeout.ms", "15000",
                "kafka.admin.request.timeout.ms", "20000",                 // admin clients only: wins
                "kafka.num.stream.threads", "4",                           // Kafka Streams only
                "kafka.producer.batch.size", "65536"));

        final Map<String, Object> admin = TopicProvisioner.adminConfig(config);

        assertThat(admin)
                .containsEntry(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "broker-1:9093")
                .containsEntry(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
                .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512")
                .containsEntry(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .containsEntry(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, "/etc/kafka/truststore.jks")
                .containsEntry(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000")
                .containsEntry(AdminClientConfig.CLIENT_ID_CONFIG, "streamrec-profile-updater-topic-provisioner")
                .doesNotContainKeys("num.stream.threads", "producer.batch.size", "batch.size",
                        "admin.request.timeout.ms");
    }

    @Test
    void withoutPassThroughSettingsTheAdminClientNeedsOnlyTheBootstrapServers() {
        assertThat(TopicProvisioner.adminConfig(UpdaterConfig.of(Map.of())))
                .containsOnlyKeys(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, AdminClientConfig.CLIENT_ID_CONFIG);
    }

    @Test
    void eventTopicsWithDifferentPartitionCountsStopTheStartNamingKeysTopicsAndCounts() {
        final Map<String, String> topics = TopicProvisioner.eventTopicsByKey(UpdaterConfig.of(Map.of()).topics());

        assertThatThrownBy(() -> TopicProvisioner.requireSamePartitionCount(topics,
                Map.of("events.clicks", 4, "events.purchases", 4, "events.ratings", 8)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("events.clicks (topic.clicks) has 4 partitions")
                .hasMessageContaining("events.purchases (topic.purchases) has 4 partitions")
                .hasMessageContaining("events.ratings (topic.ratings) has 8 partitions");
        assertThatCode(() -> TopicProvisioner.requireSamePartitionCount(topics,
                Map.of("events.clicks", 6, "events.purchases", 6, "events.ratings", 6))).doesNotThrowAnyException();
    }
}
