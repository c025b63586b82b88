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
        return outcome(floor, List.of());
    }

    private static Outcome outcome(final List<StreamsFloorRun.Result> floor, final List<Double> ceiling) {
        return Outcome.builder(BenchOptions.parse(new String[] {"--quick", "--sweep-rates", "none"}))
                .throughput(List.of(OURS), null).ceiling(41, ceiling).floor(floor).build();
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
                .contains("to 8 records of 300 B each (median of 3 runs) | 40,000 events/s | | ours 25.0 % of it |")
                .contains("| 8 | 300 | 40,000 / 25,000 / 50,000 | 40,000 | 9.00 |")
                // 40,000 events/s with 8 copies is below the 50,000 target: no application could meet it here.
                .contains("The 50,000 events/s target is above what Kafka Streams alone does here with that many records per event");
    }

    @Test
    void saysWhatTheTargetLeavesTheApplicationWhenTheFloorIsAboveIt() {
        // 100,000 events/s at 0.010 ms of CPU per event; ours 0.150 ms.
        final String report = ReportWriter.write(outcome(List.of(floor(8, 10, 9))));

        final int cores = Runtime.getRuntime().availableProcessors();
        final double budget = 1000.0 * cores / 50_000;
        assertThat(report).contains(String.format(java.util.Locale.ROOT, "The 50,000 events/s target is within that, with little"
                + " to spare: at 50,000 events/s %d cores give %.3f ms of CPU per event, of which the copying takes 0.010, leaving"
                + " %.3f ms for everything the application does, against the updater's 0.140 (its 0.150 less the copying's): %.1f"
                + " times less work per event.", cores, budget, budget - 0.010, 0.140 / (budget - 0.010)));
    }

    @Test
    void saysWhetherTheFloorItselfReachesTheCeilingTarget() {
        // The floor of 8 copies: 100,000 events/s. Against 400,000 records/s it is 25 %, against 1,000,000 10 %.
        assertThat(ReportWriter.write(outcome(List.of(floor(8, 10, 9)), List.of(400_000.0))))
                .contains("That floor is 25.0 % of the ProducerPerformance ceiling: the 25 % target is within reach");
        assertThat(ReportWriter.write(outcome(List.of(floor(8, 10, 9)), List.of(1_000_000.0))))
                .contains("That floor is 10.0 % of the ProducerPerformance ceiling: with this many records and bytes per event"
                        + " not even an application that does nothing else reaches the 25 % target here.");
    }

    @Test
    void hasNoFloorWithoutFloorRuns() {
        assertThat(ReportWriter.write(outcome(List.of()))).doesNotContain("pass-through");
    }
}
