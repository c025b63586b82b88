package dev.streamrec.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicVolumesTest {
    @Test
    void aGroupIsDrainedWhenAtMostTheFinalCommitMarkerOfEachPartitionIsLeft() {
        assertThat(new TopicVolumes.Lag(0, 4).drained()).isTrue();
        assertThat(new TopicVolumes.Lag(4, 4).drained()).as("one marker per partition").isTrue();
        assertThat(new TopicVolumes.Lag(5, 4).drained()).as("a record is still unapplied").isFalse();
        assertThat(new TopicVolumes.Lag(2_736_078, 4).drained()).isFalse();
    }
}
