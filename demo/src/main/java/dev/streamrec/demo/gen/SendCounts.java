package dev.streamrec.demo.gen;

import java.util.Optional;

/**
 * What became of the records handed to a sink, at one moment: what the status line reports about
 * the generator's side.
 *
 * @param eventsAcknowledged events (not catalog items) the broker acknowledged
 * @param failed             sends (events or catalog items) that failed
 * @param unanswered         sends handed over and neither acknowledged nor failed yet (in flight)
 * @param lastError          the latest failure as {@code exception class: message}; empty while none
 */
public record SendCounts(long eventsAcknowledged, long failed, long unanswered, Optional<String> lastError) {
}
