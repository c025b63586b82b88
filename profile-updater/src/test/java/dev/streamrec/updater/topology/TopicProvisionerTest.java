package dev.streamrec.updater.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.updater.ProfileUpdaterTopology;
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

    /**
     * On a three-broker cluster the application's own topics, the compacted model, profile and
     * recommendation topics among them, were created with one replica (the old default of
     * {@code topics.replication.factor}) while Kafka Streams' internal topics got the broker's
     * default: losing one broker lost the model.
     */
    @Test
    void createdTopicsGetTheBrokersDefaultReplicationFactorUnlessOneIsSet() {
        final short brokerDefault = -1;   // what NewTopic reports, and sends, for "not given"
        assertThat(TopicProvisioner.newTopics(UpdaterConfig.of(Map.of())))
                .hasSize(9).allSatisfy(topic -> {
                    assertThat(topic.replicationFactor()).isEqualTo(brokerDefault);
                    assertThat(topic.numPartitions()).isEqualTo(4);
                });
        assertThat(TopicProvisioner.newTopics(UpdaterConfig.of(Map.of("topics.replication.factor", "-1"))))
                .allSatisfy(topic -> assertThat(topic.replicationFactor()).isEqualTo(brokerDefault));
        assertThat(TopicProvisioner.newTopics(UpdaterConfig.of(Map.of("topics.replication.factor", "3"))))
                .allSatisfy(topic -> assertThat(topic.replicationFactor()).isEqualTo((short) 3));
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

    @Test
    void internalTopicsOfAnotherPartitionCountThanTheEventTopicsStopTheStartNamingThemAndTheProcedure() {
        final UpdaterConfig config = UpdaterConfig.of(Map.of("application.id", "recs", "state.dir", "/var/lib/recs",
                "bootstrap.servers", "broker-1:9092"));

        assertThatThrownBy(() -> TopicProvisioner.requireSamePartitionsAsEventTopics(config, 4, Map.of(
                "recs-profile-store-changelog", 2, "recs-item-steps-repartition", 2, "recs-dedupe-store-changelog", 4)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("(events.clicks,events.purchases,events.ratings) have 4 partitions")
                .hasMessageContaining("recs-item-steps-repartition has 2, recs-profile-store-changelog has 2.")
                .hasMessageNotContaining("recs-dedupe-store-changelog")
                .hasMessageContaining("stop every instance")
                .hasMessageContaining("kafka-streams-application-reset.sh --application-id recs --bootstrap-server"
                        + " broker-1:9092 --force")
                .hasMessageContaining("local state (/var/lib/recs/recs)");
    }

    @Test
    void internalTopicsOfTheEventTopicsPartitionCountOrNoneAtAllLetTheUpdaterStart() {
        final UpdaterConfig config = UpdaterConfig.of(Map.of());

        assertThatCode(() -> TopicProvisioner.requireSamePartitionsAsEventTopics(config, 4, Map.of(
                "streamrec-profile-updater-profile-store-changelog", 4))).doesNotThrowAnyException();
        // A fresh deployment, or one the reset tool has just emptied.
        assertThatCode(() -> TopicProvisioner.requireSamePartitionsAsEventTopics(config, 4, Map.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void internalTopicsAreEveryTaskStoresChangelogAndEveryRepartitionTopic() {
        final UpdaterConfig config = UpdaterConfig.of(Map.of("application.id", "recs"));

        // Global stores (catalog, item factors) read their own topics and have no changelog.
        assertThat(TopicProvisioner.internalTopics("recs", ProfileUpdaterTopology.build(config).describe()))
                .containsExactlyInAnyOrder(
                        "recs-dedupe-store-changelog",
                        "recs-profile-store-changelog",
                        "recs-user-items-store-changelog",
                        "recs-user-stage-state-store-changelog",
                        "recs-item-factors-store-changelog",
                        "recs-rekeyed-events-repartition",
                        "recs-item-steps-repartition");
    }
}
