package dev.streamrec.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The latency verdict: the headline p99 starts at the application's read of an event, so a run
 * where events queued in the input topic first is not "met" unless the p99 from the producer's
 * send is within the target too.
 */
class LatencyVerdictTest {
    /** One latency run: p99 {@code fromIngest} from the read, {@code fromSend} from the send. */
    private static WorkloadRun.Result latencyRun(final long fromIngest, final long fromSend, final long backlog,
                                                 final long itemStepsBehind) {
        return new WorkloadRun.Result(300_000, 0, 1, 2, 41, List.of(), Runs.samples(fromIngest), Runs.samples(fromIngest / 2), 100,
                "", Map.of(), Runs.samples(fromSend), backlog, Map.of(), Map.of(), 2, itemStepsBehind, 0, Map.of());
    }

    private static Outcome outcome(final WorkloadRun.Result... latency) {
        return Outcome.builder(BenchOptions.parse(new String[] {"--quick"})).latency(List.of(latency), null).build();
    }

    @Test
    void metOnlyWhenTheP99FromTheProducersSendIsWithinTheTargetToo() {
        assertThat(ReportWriter.latencyVerdict(outcome(latencyRun(410, 480, 300, 0)), 410)).isEqualTo("met");

        final String queued = ReportWriter.latencyVerdict(outcome(latencyRun(410, 1_167, 2_974, 217)), 410);
        assertThat(queued).startsWith("met from the application's read, not from the producer's send (p99 1,167 ms")
                .contains("median backlog 2,974 events");

        assertThat(ReportWriter.latencyVerdict(outcome(latencyRun(410, 480, 300, 40_000)), 410))
                .startsWith("met for the lists, but the item stage fell behind");
        assertThat(ReportWriter.latencyVerdict(outcome(latencyRun(620, 700, 0, 0)), 620)).startsWith("missed by 120 ms");
    }
}
