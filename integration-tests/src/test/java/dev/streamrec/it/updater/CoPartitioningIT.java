package dev.streamrec.it.updater;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.it.infra.ItEnvironment;
import dev.streamrec.it.infra.TestKafka;
import dev.streamrec.updater.ProfileUpdaterApp;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.topology.TopicProvisioner;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The profile-updater refuses to start on event topics that are not co-partitioned. They are
 * merged, not joined, so Kafka Streams would not notice, and existing topics are never changed by
 * the provisioner: with ratings on 8 partitions and clicks on 4, a user's events would reach two
 * tasks, each with a profile, factors and de-duplication memory of its own.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CoPartitioningIT {
    private final TestKafka kafka = ItEnvironment.kafka();

    @Test
    void eventTopicsWithDifferentPartitionCountsStopTheStartNamingThemAndTheirKeys() {
        final UpdaterConfig config = UpdaterApps.isolatedConfig(4, Map.of());
        kafka.createTopic(config.topics().clicks(), 4, false);
        kafka.createTopic(config.topics().purchases(), 4, false);
        kafka.createTopic(config.topics().ratings(), 8, false);

        // topics.create is on: the missing topics are created, the existing ones left as they are.
        assertThatThrownBy(() -> ProfileUpdaterApp.start(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(config.topics().clicks() + " (topic.clicks) has 4 partitions")
                .hasMessageContaining(config.topics().purchases() + " (topic.purchases) has 4 partitions")
                .hasMessageContaining(config.topics().ratings() + " (topic.ratings) has 8 partitions");
    }

    @Test
    void missingEventTopicsStopTheStartWhenTheUpdaterMayNotCreateThem() {
        final UpdaterConfig config = UpdaterApps.isolatedConfig(4, Map.of("topics.create", "false"));
        kafka.createTopic(config.topics().clicks(), 4, false);

        assertThatThrownBy(() -> ProfileUpdaterApp.start(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(config.topics().purchases() + " (topic.purchases)")
                .hasMessageContaining(config.topics().ratings() + " (topic.ratings)")
                .hasMessageContaining("do not exist")
                .hasMessageNotContaining(config.topics().clicks() + " (topic.clicks)");
    }

    @Test
    void topicsTheUpdaterCreatesAreCoPartitioned() {
        final UpdaterConfig config = UpdaterApps.isolatedConfig(3, Map.of());
        // As the application creates them: topics.partitions, the broker's default replication factor.
        TopicProvisioner.ensureTopics(config);

        assertThatCode(() -> TopicProvisioner.requireCoPartitionedEventTopics(config)).doesNotThrowAnyException();
    }
}
