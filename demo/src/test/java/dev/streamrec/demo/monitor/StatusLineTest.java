package dev.streamrec.demo.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatusLineTest {

    @Test
    void showsEveryFigureAndADashForThoseNotKnownYet() {
        final String early = new StatusLine(3, 90, 30, 0, 0, 0, 0, 0, OptionalLong.empty(), OptionalDouble.empty(), 0,
                OptionalDouble.empty(), 0).format();
        assertThat(early).isEqualTo("[   3s] events in 90 (30/s) | dead-lettered 0 | profiles out 0 | recs out 0"
                + " | p99 event->rec - | recall@10 - | RMSE -");

        final String later = new StatusLine(42, 1260, 29.6, 0, 0, 2, 1200, 1100, OptionalLong.of(850),
                OptionalDouble.of(0.1234), 900, OptionalDouble.of(1.0049), 300).format();
        assertThat(later).contains("events in 1260 (30/s)", "dead-lettered 2", "profiles out 1200", "recs out 1100",
                "p99 event->rec 850 ms", "recall@10 0.123 (n=900)", "RMSE 1.005 (n=300)");
    }

    @Test
    void aLastLineWithSendsTheBrokerDidNotAnswerSaysHowMany() {
        final String totals = new StatusLine(60, 1790, 29.8, 0, 12, 0, 1700, 1650, OptionalLong.empty(),
                OptionalDouble.empty(), 0, OptionalDouble.empty(), 0).format();
        assertThat(totals).startsWith("[  60s] events in 1790 (30/s) | not acknowledged 12 | dead-lettered 0 |");
    }

    @Test
    void failedSendsAreShownOnlyWhenThereAreSome() {
        final String failing = new StatusLine(8, 200, 25, 3, 0, 0, 150, 140, OptionalLong.empty(),
                OptionalDouble.empty(), 0, OptionalDouble.empty(), 0).format();
        assertThat(failing).startsWith("[   8s] events in 200 (25/s) | failed sends 3 | dead-lettered 0 |");

        final String totals = new StatusLine(9, 210, 23, 3, 7, 0, 160, 150, OptionalLong.empty(),
                OptionalDouble.empty(), 0, OptionalDouble.empty(), 0).format();
        assertThat(totals).startsWith("[   9s] events in 210 (23/s) | failed sends 3 | not acknowledged 7 | dead");
    }
}
