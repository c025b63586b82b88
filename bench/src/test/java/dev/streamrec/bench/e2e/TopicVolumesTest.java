package dev.streamrec.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicVolumesTest {
    @Test
    void aGroupIsDrainedWhenAtMostTheFinalCommitMarkerOfEachPartitionIsLeft() {
        assertThat(new TopicVolumes.Lag(0, 4).drained()).isTrue();
        assertThat(new TopicVolumes.Lag(4, 4).drained()).as("one marker per partition").isTrue();
        assertThat(new TopicVolumes.Lag(5, 4).drained()).as("a record is still unapplied").isFalse();
        assertThat(new TopicVolumes.Lag(2_736_078, 4).drained()).isFalse();
    }

    @Test
    void aRunTakesOnlyItsOwnTopicsKeyedWithoutItsNameLargestFirst() {
        final Map<String, Long> perTopic = Map.of(
                "tput1.clicks", 700L,
                "tput1-item-steps-repartition", 3_200L,
                "tput10.clicks", 9_999L, // another run whose name starts with this one's
                "tput10-item-steps-repartition", 9_999L,
                "__consumer_offsets", 50L);

        assertThat(TopicVolumes.ofRun(perTopic, "tput1")).containsExactly(
                Map.entry("-item-steps-repartition", 3_200L), Map.entry(".clicks", 700L));
    }
}
