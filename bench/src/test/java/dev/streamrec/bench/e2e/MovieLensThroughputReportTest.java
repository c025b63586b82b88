package dev.streamrec.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The MovieLens file's throughput, like the synthetic one, is reported as the median of its runs. */
class MovieLensThroughputReportTest {
    @Test
    void reportsTheMedianOfTheRunsAndDescribesTheMedianRun() {
        // 100,000 ratings in 10 s, 8 s and 12.5 s: 10,000, 12,500 and 8,000 events/s; median 10,000.
        final List<WorkloadRun.Result> replays = List.of(Runs.flatOut(100_000, 10, 15, Map.of()),
                Runs.flatOut(100_000, 8, 14, Map.of()), Runs.flatOut(100_000, 12.5, 20, Map.of()));
        final Outcome outcome = Outcome.builder(BenchOptions.parse(new String[] {"--quick", "--sweep-rates", "none",
                "--dataset", "u.data"})).throughput(List.of(Runs.flatOut(1_000_000, 100, 150, Map.of())), null)
                .movieLensThroughput(replays).build();

        final String report = ReportWriter.write(outcome);

        assertThat(outcome.movieLensThroughputMedian()).isEqualTo(10_000.0);
        assertThat(outcome.movieLensMedianRun()).isSameAs(replays.get(0));
        assertThat(report)
                .contains("| sustained end-to-end throughput, u.data replayed (100,000 ratings, median of 3 runs) | 10,000 events/s |")
                .contains("10,000 / 12,500 / 8,000 events/s through to published recommendations")
                // The median run's own figures: 10 s, 1.5 cores, 0.15 ms per event.
                .contains("took 10.0 s, used 1.50 cores of this JVM and 0.15 ms of CPU per event");
    }

    @Test
    void hasNoMovieLensLineWithoutTheDataset() {
        final Outcome outcome = Outcome.builder(BenchOptions.parse(new String[] {"--quick", "--sweep-rates", "none"}))
                .throughput(List.of(Runs.flatOut(1_000_000, 100, 150, Map.of())), null).build();

        assertThat(outcome.movieLensMedianRun()).isNull();
        assertThat(ReportWriter.write(outcome)).doesNotContain("replayed");
    }
}
