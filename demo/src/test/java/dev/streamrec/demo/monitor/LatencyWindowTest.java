package dev.streamrec.demo.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    @Test
    void p99IsTheNearestRankOverTheWindow() {
        final LatencyWindow window = new LatencyWindow(10_000);
        for (int i = 1; i <= 200; i++) {
            window.add(1_000, i);
        }
        assertThat(window.p99(1_000)).hasValue(198);
    }

    @Test
    void oldSamplesLeaveTheWindow() {
        final LatencyWindow window = new LatencyWindow(10_000);
        window.add(0, 5_000);
        window.add(9_000, 20);
        assertThat(window.p99(9_500)).hasValue(5_000);
        assertThat(window.p99(10_000)).hasValue(20);
        assertThat(window.p99(19_000)).isEmpty();
    }
}
