package dev.streamrec.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The design's floor is reported per record flow as the median of its runs, with ours as a share
 * of it, what of ours is above it, and whether the leanest flow leaves room for the target.
 */
class DesignFloorReportTest {
    // Ours: 1,000,000 events in 100 s = 10,000 events/s, at 0.150 ms of CPU per event.
    private static final WorkloadRun.Result OURS = Runs.flatOut(1_000_000, 100, 150, Map.of());
    private static final DesignFloorRun.Shape UPDATERS = new DesignFloorRun.Shape(808, 622, 0.95, 619, 3.19, 170, 250, 10_000);
    private static final DesignFloorRun.Shape LEAN = UPDATERS.withStepsPerEvent(1);

    private static String report(final List<DesignFloorRun.Result> designFloor) {
        return ReportWriter.write(Outcome.builder(BenchOptions.parse(new String[] {"--quick", "--sweep-rates", "none"}))
                .throughput(List.of(OURS), null).designFloor(designFloor).build());
    }

    /** 1,000,000 events of {@code shape} through in {@code seconds} on as many CPU seconds. */
    private static DesignFloorRun.Result floor(final DesignFloorRun.Shape shape, final double seconds) {
        return new DesignFloorRun.Result(shape, 1_000_000, seconds, seconds, 8_900_000, 800_000);
    }

    @Test
    void givesEachFlowsMedianRunAndOursAsAShareOfIt() {
        // The updater's flow: 25,000 / 40,000 / 20,000 events/s, median 25,000 (ours 40 %); the lean one: 40,000.
        final String report = report(List.of(floor(UPDATERS, 40), floor(LEAN, 25), floor(UPDATERS, 25),
                floor(LEAN, 25), floor(UPDATERS, 50), floor(LEAN, 25)));

        assertThat(report)
                .contains("| Kafka Streams floor of this design: the updater's record flow without its logic, 3.19 item steps per"
                        + " event (median of 3 runs) | 25,000 events/s | | ours 40.0 % of it |")
                .contains("| 3.19 | 25,000 / 40,000 / 20,000 | 25,000 | 8.90 | 0.80 | 0.040 | 40.0 % |")
                .contains("| 1.00 | 40,000 / 40,000 / 40,000 | 40,000 | 8.90 | 0.80 | 0.025 | 25.0 % |")
                .contains("a list (619 B)")
                .contains("at 0.150 ms of CPU per event, of which 0.110 (73 %) is above its flow's floor")
                .contains("The 50,000 events/s target is above every run of the floor of the flow with 1.00 item steps per"
                        + " event: no implementation of this design, not even the leanest, meets it on this machine")
                .contains("With its own 3.19 item steps per event the updater is bounded by 25,000 events/s here");
    }

    @Test
    void callsTheTargetAtTheEdgeWhenOnlySomeOfTheLeanestRunsReachIt() {
        // The lean flow: 40,000 / 62,500 / 45,000 events/s, median 45,000, best 62,500.
        final String report = report(List.of(floor(UPDATERS, 40), floor(LEAN, 25), floor(LEAN, 16), floor(LEAN, 1_000.0 / 45)));

        assertThat(report).contains("The 50,000 events/s target is at the edge of the floor of the flow with 1.00 item steps per"
                + " event (its median 45,000, its best run 62,500 events/s): only an implementation whose own code costs next"
                + " to nothing could meet it, and not in every run on this machine.");
    }

    @Test
    void saysWhatTheTargetLeavesTheApplicationWhenTheLeanestFloorIsAboveIt() {
        // The updater's flow: 40,000 events/s at 0.025 ms; the lean one 100,000 at 0.010.
        final String report = report(List.of(floor(UPDATERS, 25), floor(LEAN, 10)));

        final int cores = Runtime.getRuntime().availableProcessors();
        final double budget = 1000.0 * cores / 50_000;
        assertThat(report).contains(String.format(Locale.ROOT, "At 50,000 events/s %d cores give %.3f ms of CPU per event, of"
                + " which the plumbing of the flow with 1.00 item steps per event takes 0.010, leaving %.3f ms for the"
                + " application's own code against the updater's 0.125: %.1f times less.", cores, budget, budget - 0.010,
                0.125 / (budget - 0.010)));
    }

    @Test
    void saysWhatTheDesignAddsToThePassThroughFloorOfAboutItsRecordCount() {
        // The updater's flow at 0.040 ms of CPU per event against 8 copies at 0.025.
        final String report = ReportWriter.write(Outcome.builder(BenchOptions.parse(new String[] {"--quick", "--sweep-rates", "none"}))
                .throughput(List.of(OURS), null)
                .floor(List.of(new StreamsFloorRun.Result(8, 356, 1_000_000, 25, 25, 9_000_000)))
                .designFloor(List.of(floor(UPDATERS, 40))).build());

        assertThat(report).contains("Against the pass-through floor of 8 copies (0.025 ms of CPU per event), the design's stores,"
                + " its item steps read again after the repartition and the global store's updates cost 0.015 ms more per event");
    }

    @Test
    void hasNoDesignFloorWithoutItsRuns() {
        assertThat(report(List.of())).doesNotContain("floor of this design");
    }
}
