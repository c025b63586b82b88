package dev.streamrec.demo.monitor;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One status line: what went in, what came out, how fast and how good. Fields are
 * {@code name value} pairs separated by {@code |}, stable so that scripts and the demo's test can
 * read them.
 *
 * @param elapsedSeconds    since the generator started
 * @param eventsIn          events the broker acknowledged
 * @param eventsPerSecond   over the last status interval
 * @param failedSends       sends (events or catalog items) the producer gave up on, in the whole run
 * @param unacknowledged    sends not answered by the broker when the run's last line was printed;
 *                          0 in the lines before it, where some are always in flight
 * @param deadLettered      records in events.dlq
 * @param profilesOut       records in profiles.users
 * @param recommendationsOut records in recommendations.users
 * @param p99LatencyMillis  p99 of now - triggerIngestTime over the last 10 s of lists
 * @param recallAt10        prequential recall@10 over all tasks
 * @param positivesScored   how many positives recall@10 is over
 * @param rmse              prequential RMSE over all tasks
 * @param ratingsScored     how many ratings the RMSE is over
 */
public record StatusLine(long elapsedSeconds, long eventsIn, double eventsPerSecond, long failedSends,
                         long unacknowledged, long deadLettered, long profilesOut, long recommendationsOut,
                         OptionalLong p99LatencyMillis, OptionalDouble recallAt10, long positivesScored,
                         OptionalDouble rmse, long ratingsScored) {

    public String format() {
        return String.format(Locale.ROOT,
                "[%4ds] events in %d (%.0f/s)%s%s | dead-lettered %d | profiles out %d | recs out %d"
                        + " | p99 event->rec %s | recall@10 %s | RMSE %s",
                elapsedSeconds, eventsIn, eventsPerSecond,
                // Only when there are some: the usual line stays as short as it was.
                failedSends > 0 ? " | failed sends " + failedSends : "",
                unacknowledged > 0 ? " | not acknowledged " + unacknowledged : "",
                deadLettered, profilesOut, recommendationsOut,
                p99LatencyMillis.isPresent() ? p99LatencyMillis.getAsLong() + " ms" : "-",
                recallAt10.isPresent() ? String.format(Locale.ROOT, "%.3f (n=%d)", recallAt10.getAsDouble(), positivesScored) : "-",
                rmse.isPresent() ? String.format(Locale.ROOT, "%.3f (n=%d)", rmse.getAsDouble(), ratingsScored) : "-");
    }
}
