package dev.streamrec.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The report's repetitions: a full report takes the throughput as a median, a quick one does not pretend to. */
class BenchOptionsTest {

    @Test
    void aFullReportRepeatsTheThroughputRunThreeTimesAndAQuickOneOnce() {
        assertThat(BenchOptions.parse(new String[0]).throughputRuns()).isEqualTo(3);
        assertThat(BenchOptions.parse(new String[] {"--quick"}).throughputRuns()).isEqualTo(1);
        assertThat(BenchOptions.parse(new String[] {"--throughput-runs", "5"}).throughputRuns()).isEqualTo(5);
    }

    @Test
    void anUnknownOptionStopsTheRunAndNamesIt() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--throughput-run", "3"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--throughput-run");
    }
}
