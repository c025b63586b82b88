package dev.streamrec.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report's table of CPU by offered load: each thread group in cores over the run's own wall
 * time, and the share of the lowest load that is not proportional to its events.
 */
class LoadSweepReportTest {
    @Test
    void givesEachGroupInCoresAndWhatTheLowestLoadPaysBeyondItsEvents() {
        // 1,000 events/s for 10 s on 15 CPU seconds: 1.5 cores, of which stream threads 4 s = 0.4 cores.
        final WorkloadRun.Result slow = Runs.flatOut(10_000, 10, 15, Map.of(HotPathProfile.STREAM_THREADS, 4.0,
                ThreadCpu.JIT, 3.0, HotPathProfile.BROKER_HANDLERS, 2.0, HotPathProfile.BROKER_NETWORK, 1.0,
                HotPathProfile.PRODUCER_IO, 1.0));
        // Flat out: 100,000 events in 20 s on 30 CPU seconds, 0.3 ms per event.
        final WorkloadRun.Result flat = Runs.flatOut(100_000, 20, 30, Map.of(HotPathProfile.STREAM_THREADS, 20.0));
        final Outcome outcome = Outcome.builder(BenchOptions.parse(new String[] {"--quick", "--sweep-rates", "1000"}))
                .throughput(List.of(flat), null).sweep(List.of(slow)).build();

        final String report = ReportWriter.write(outcome);

        assertThat(report).contains("## CPU by offered load")
                .contains("| 1,000 events/s | 1.50 | 1.50 | 0.40 | 0.30 | 0.30 | 0.10 | 0.40 | 300 / 300 ms | 12 events |")
                .contains("| flat out (throughput run 1) | 1.50 | 0.30 | 1.00 | 0.00 | 0.00 | 0.00 | 0.50 | – | – |")
                // 1,000 events at 0.3 ms are 0.30 cores of the 1.50 used.
                .contains("would need 0.30. The other 1.20 cores are not proportional to the events");
    }

    @Test
    void comparesWithTheLastThroughputRunWhoseCodeTheJitHasCompiledFurthest() {
        final WorkloadRun.Result slow = Runs.flatOut(10_000, 10, 15, Map.of(HotPathProfile.STREAM_THREADS, 4.0));
        // A first run still compiling (0.4 ms per event), then a compiled one (0.3 ms per event).
        final WorkloadRun.Result cold = Runs.flatOut(100_000, 20, 40, Map.of(HotPathProfile.STREAM_THREADS, 25.0));
        final WorkloadRun.Result warm = Runs.flatOut(100_000, 20, 30, Map.of(HotPathProfile.STREAM_THREADS, 20.0));
        final Outcome outcome = Outcome.builder(BenchOptions.parse(new String[] {"--quick", "--sweep-rates", "1000"}))
                .throughput(List.of(cold, warm), null).sweep(List.of(slow)).build();

        final String report = ReportWriter.write(outcome);

        assertThat(outcome.analysedRun()).isEqualTo(2);
        assertThat(report).contains("| flat out (throughput run 2) | 1.50 | 0.30 | 1.00 |")
                .contains("at throughput run 2's 0.30 ms of CPU per event those events would need 0.30")
                .contains("Where run 2's CPU went")
                .doesNotContain("throughput run 1");
    }

    @Test
    void isLeftOutWithoutSweepRuns() {
        final Outcome outcome = Outcome.builder(BenchOptions.parse(new String[] {"--quick", "--sweep-rates", "none"})).build();

        assertThat(outcome.options().sweepRates()).isEmpty();
        assertThat(ReportWriter.write(outcome)).doesNotContain("CPU by offered load");
    }
}
