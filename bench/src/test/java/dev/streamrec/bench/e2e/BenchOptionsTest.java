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

    @Test
    void theFloorsRunThreeTimesByDefaultOnceQuickAndCanBeTurnedOff() {
        final BenchOptions defaults = BenchOptions.parse(new String[0]);
        assertThat(defaults.floorRuns()).isEqualTo(3);
        assertThat(defaults.floorFanOuts()).containsExactly(1, 8);
        assertThat(BenchOptions.parse(new String[] {"--quick"}).floorRuns()).isEqualTo(1);
        final BenchOptions chosen = BenchOptions.parse(new String[] {"--floor-runs", "0", "--floor-fanouts", "2, 4"});
        assertThat(chosen.floorRuns()).isZero();
        assertThat(chosen.floorFanOuts()).containsExactly(2, 4);
        assertThat(defaults.designFloorRuns()).isEqualTo(3);
        assertThat(BenchOptions.parse(new String[] {"--quick"}).designFloorRuns()).isEqualTo(1);
        assertThat(BenchOptions.parse(new String[] {"--design-floor-runs", "0"}).designFloorRuns()).isZero();
    }
}
