package dev.streamrec.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Kafka Streams floor is reported per fan-out as the median of its runs, beside ours as a share of it. */
class StreamsFloorReportTest {
    // Ours: 1,000,000 events in 100 s = 10,000 events/s.
    private static final WorkloadRun.Result OURS = Runs.flatOut(1_000_000, 100, 150, Map.of());

    private static Outcome outcome(final List<StreamsFloorRun.Result> floor) {
        return new Outcome(BenchOptions.parse(new String[] {"--quick", "--sweep-rates", "none"}), Map.of(), List.of(OURS),
                List.of(), 41, List.of(), List.of(), List.of(), null, null, null, null, null, 0, "", List.of(), floor);
    }

    /** {@code events} through in {@code seconds}, with the appends per event given. */
    private static StreamsFloorRun.Result floor(final int fanOut, final double seconds, final double appendsPerEvent) {
        final long events = 1_000_000;
        return new StreamsFloorRun.Result(fanOut, fanOut == 1 ? 0 : 300, events, seconds, seconds, Math.round(appendsPerEvent * events));
    }

    @Test
    void givesEachFanOutsMedianAndOursAsAShareOfIt() {
        // Fan-out 1: 200,000 / 250,000 / 100,000 events/s, median 200,000; fan-out 8: 40,000 / 25,000 / 50,000, median 40,000.
        final Outcome outcome = outcome(List.of(floor(1, 5, 2), floor(8, 25, 9), floor(1, 4, 2), floor(8, 40, 9),
                floor(1, 10, 2), floor(8, 20, 9)));

        final String report = ReportWriter.write(outcome);

        assertThat(outcome.floorFanOuts()).containsExactly(1, 8);
        assertThat(outcome.floorMedian(8)).isEqualTo(40_000.0);
        assertThat(report)
                .contains("copied by a pass-through application to 1 record each (median of 3 runs) | 200,000 events/s | | ours 5.0 % of it |")
                .contains("to 8 records each (median of 3 runs) | 40,000 events/s | | ours 25.0 % of it |")
                .contains("| 8 | 300 | 40,000 / 25,000 / 50,000 | 40,000 | 9.00 |")
                // 40,000 events/s with 8 copies is below the 50,000 target: no application could meet it here.
                .contains("the 50,000 events/s target is above what Kafka Streams alone does here");
    }

    @Test
    void saysTheTargetIsWithinTheFloorWhenItIs() {
        assertThat(ReportWriter.write(outcome(List.of(floor(8, 10, 9)))))
                .contains("target is within what Kafka Streams alone does here");
    }

    @Test
    void hasNoFloorWithoutFloorRuns() {
        assertThat(ReportWriter.write(outcome(List.of()))).doesNotContain("pass-through");
    }
}
