package dev.streamrec.demo.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ServerPropertiesTest {

    @Test
    void oneNodeIsBrokerAndSoleControllerOnTheGivenPortsWithSingleReplicaInternalTopics() throws Exception {
        final Properties p = new Properties();
        p.load(new StringReader(ServerProperties.singleNode(19092, 19093, Path.of("/tmp/x/kafka"))));

        assertThat(p.getProperty("process.roles")).isEqualTo("broker,controller");
        assertThat(p.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
        assertThat(p.getProperty("listeners")).contains("PLAINTEXT://127.0.0.1:19092", "CONTROLLER://127.0.0.1:19093");
        assertThat(p.getProperty("log.dirs")).isEqualTo("/tmp/x/kafka");
        // Without these the group and transaction coordinators never start on one broker.
        assertThat(p.getProperty("offsets.topic.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("transaction.state.log.replication.factor")).isEqualTo("1");
        assertThat(p.getProperty("transaction.state.log.min.isr")).isEqualTo("1");
        assertThat(p.getProperty("group.initial.rebalance.delay.ms")).isEqualTo("0");
    }
}
