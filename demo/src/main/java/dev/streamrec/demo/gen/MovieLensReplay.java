package dev.streamrec.demo.gen;

import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.RatingEvent;
import java.time.Instant;
import java.util.List;

/**
 * Replays MovieLens ratings in timestamp order on a compressed clock: a rating given
 * {@code t} seconds after the first one is sent {@code t / speedup} seconds after the start, so
 * gaps keep their proportions. Event times are those send times, i.e. the dataset shifted to now:
 * the updater rejects events older than {@code validation.max.age.ms} (30 days), and 1990s
 * timestamps would all be dead-lettered. The shift keeps the rules and the data honest instead of
 * loosening a validation setting for the demo.
 */
public final class MovieLensReplay implements EventSource {
    /** Most ratings sent in one call, so a burst in the data cannot starve the rest of the demo. */
    private static final int MAX_PER_CALL = 2000;

    private final List<MovieLensRating> ratings;
    private final List<Item> catalog;
    private final double speedup;
    private final long firstSeconds;
    private final String description;
    private int next;

    /**
     * @param ratings in timestamp order, as {@link MovieLensFile#readRatings} returns them
     * @param speedup dataset seconds per wall-clock second
     */
    public MovieLensReplay(final List<MovieLensRating> ratings, final List<Item> catalog, final double speedup,
                           final String description) {
        if (ratings.isEmpty()) {
            throw new IllegalArgumentException("nothing to replay");
        }
        this.ratings = ratings;
        this.catalog = catalog;
        this.speedup = speedup;
        this.firstSeconds = ratings.get(0).timestampSeconds();
        this.description = description;
    }

    /** The speed-up at which the replay averages {@code ratePerSecond} events per second. */
    public static double speedupFor(final List<MovieLensRating> ratings, final double ratePerSecond) {
        final long spanSeconds = ratings.get(ratings.size() - 1).timestampSeconds() - ratings.get(0).timestampSeconds();
        return Math.max(1.0, spanSeconds * ratePerSecond / ratings.size());
    }

    @Override
    public List<Item> catalog() {
        return catalog;
    }

    @Override
    public boolean emitDue(final long elapsedMillis, final long nowMillis, final EventSink sink) {
        int sent = 0;
        while (next < ratings.size() && sent < MAX_PER_CALL) {
            final MovieLensRating rating = ratings.get(next);
            final long dueMillis = dueMillis(rating);
            if (dueMillis > elapsedMillis) {
                break;
            }
            // Its scheduled wall time; never in the future, which the updater would reject.
            final long eventTime = nowMillis - (elapsedMillis - dueMillis);
            sink.rating(RatingEvent.newBuilder()
                    .setEventId("ml-" + rating.userId() + "-" + rating.itemId() + "-" + rating.timestampSeconds())
                    .setUserId(rating.userId()).setItemId(rating.itemId()).setEventTime(Instant.ofEpochMilli(eventTime))
                    .setRating(rating.rating()).build());
            next++;
            sent++;
        }
        return next < ratings.size();
    }

    /** Ratings sent so far. */
    public int replayed() {
        return next;
    }

    @Override
    public String describe() {
        return description;
    }

    private long dueMillis(final MovieLensRating rating) {
        return (long) ((rating.timestampSeconds() - firstSeconds) * 1000.0 / speedup);
    }
}
