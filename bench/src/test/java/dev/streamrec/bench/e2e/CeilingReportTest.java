package dev.streamrec.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our throughput is reported as a share of the broker's ceiling only when the ceiling was measured. */
class CeilingReportTest {
    // 1,000,000 events in 100 s = 10,000 events/s.
    private static final WorkloadRun.Result OURS = Runs.flatOut(1_000_000, 100, 150, Map.of());

    private static Outcome.Builder outcome() {
        return Outcome.builder(BenchOptions.parse(new String[] {"--quick", "--sweep-rates", "none"}))
                .throughput(List.of(OURS), null);
    }

    @Test
    void theShareOfTheMedianCeilingIsReportedAgainstItsTarget() {
        final String report = ReportWriter.write(outcome().ceiling(120, List.of(400_000.0, 500_000.0, 450_000.0)).build());

        assertThat(report)
                .contains("| throughput / ceiling | 2.2 % | ≥ 25 % | missed by 91 % |")
                .contains("Our end-to-end throughput is **2.2 %** of it");
    }

    @Test
    void withoutCeilingRunsThereIsNoRatioRatherThanNaN() {
        final String report = ReportWriter.write(outcome().build());

        assertThat(report).doesNotContain("NaN").doesNotContain("throughput / ceiling").doesNotContain("ProducerPerformance (");
    }
}
