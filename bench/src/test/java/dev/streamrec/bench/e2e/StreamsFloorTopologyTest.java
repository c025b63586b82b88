package dev.streamrec.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.topology.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/** The floor application copies every input record of every input topic, fanned out and padded as asked, and nothing else. */
class StreamsFloorTopologyTest {
    private static final byte[] KEY = "u7".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = {1, 2, 3, 4, 5};

    private final Topics topics = new Topics(UpdaterConfig.of(Map.of("schema.registry.url", "mock://floor-test")));

    @Test
    void aFanOutOfOneCopiesEachRecordAsItIsFromEveryInputTopic() {
        final List<KeyValue<byte[], byte[]>> out = copies(1, 0,
                List.of(topics.clicks.name(), topics.purchases.name(), topics.ratings.name()));

        assertThat(out).hasSize(3).allSatisfy(copy -> {
            assertThat(copy.key).isEqualTo(KEY);
            assertThat(copy.value).isEqualTo(VALUE);
        });
    }

    @Test
    void aWiderFanOutWritesPaddedCopiesUnderDistinctKeys() {
        final List<KeyValue<byte[], byte[]>> out = copies(3, 12, List.of(topics.clicks.name()));

        assertThat(out).hasSize(3);
        assertThat(out.stream().map(copy -> Arrays.toString(copy.key)).distinct()).hasSize(3);
        assertThat(out).allSatisfy(copy -> {
            assertThat(copy.value).hasSize(12).startsWith(VALUE);
            assertThat(Arrays.copyOfRange(copy.key, 0, KEY.length)).isEqualTo(KEY);
        });
    }

    @Test
    void aValueLongerThanThePaddingIsCopiedWhole() {
        assertThat(copies(2, 3, List.of(topics.ratings.name()))).extracting(copy -> copy.value).containsOnly(VALUE);
    }

    @Test
    void aFanOutBelowOneIsRefused() {
        assertThatThrownBy(() -> StreamsFloorRun.topology(topics, 0, 0)).hasMessageContaining("fan-out");
    }

    /** Sends one record to each of {@code inputs} and returns everything written to the output. */
    private List<KeyValue<byte[], byte[]>> copies(final int fanOut, final int copyBytes, final List<String> inputs) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "floor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try (TopologyTestDriver driver = new TopologyTestDriver(StreamsFloorRun.topology(topics, fanOut, copyBytes), props)) {
            for (final String input : inputs) {
                final TestInputTopic<byte[], byte[]> in =
                        driver.createInputTopic(input, new ByteArraySerializer(), new ByteArraySerializer());
                in.pipeInput(KEY, VALUE);
            }
            final TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(topics.profiles.name(),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            return out.readKeyValuesToList();
        }
    }
}
