package dev.streamrec.demo.monitor;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** What the status line reports, filled in by the output monitor (the generator counts its own). */
public final class RunStats {
    /** Where the p99 is computed over. */
    public static final long LATENCY_WINDOW_MS = 10_000;

    public final AtomicLong deadLettered = new AtomicLong();
    public final AtomicLong profilesOut = new AtomicLong();
    public final AtomicLong recommendationsOut = new AtomicLong();
    public final LatencyWindow latency = new LatencyWindow(LATENCY_WINDOW_MS);
    public final ModelQualityTotals quality = new ModelQualityTotals();
    /** A user who got a non-empty list and an item of it: real ids for the curl examples. */
    public final AtomicReference<Example> example = new AtomicReference<>();

    /**
     * Ids seen in the run's output.
     *
     * @param personalised the list came from the model, not the cold-start popularity fallback:
     *                     the better example, since its profile and list have something to show
     */
    public record Example(String userId, String itemId, boolean personalised) {
    }
}
