package dev.streamrec.bench.e2e;

import dev.streamrec.bench.model.RatingEvent;
import dev.streamrec.schemas.Item;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A MovieLens file's ratings in timestamp order, as rating events with their original event
 * times. There is no catalogue: MovieLens ids are enriched as unknown items, as in the accuracy
 * replay.
 */
final class MovieLensWorkload implements Workload {
    /**
     * What every MovieLens replay adds to the updater's settings. Events keep their 1990s times, so
     * {@code validation.max.age.ms} is 100 years instead of a shift that would distort the spacing
     * that profile decay and dedupe see; anomaly detection is out of reach, because MovieLens users
     * rate dozens of films within seconds, which the burst rule would flag and the learner would
     * then skip, while the offline replay learns from every rating.
     */
    static final Map<String, String> SETTINGS = Map.of(
            "validation.max.age.ms", String.valueOf(Duration.ofDays(36_500).toMillis()),
            "profile.anomaly.burst.max.events", "1000000",
            "profile.anomaly.z.threshold", "1000000");

    private final List<RatingEvent> ratings;
    private final String idPrefix;
    private int next;

    /** @param idPrefix prefix of the event ids, so that two replays in one run never share an id */
    MovieLensWorkload(final List<RatingEvent> ratings, final String idPrefix) {
        this.ratings = ratings;
        this.idPrefix = idPrefix;
    }

    @Override
    public List<Item> catalog() {
        return List.of();
    }

    @Override
    public InputEvent next(final long nowMs) {
        final int i = next++;
        final RatingEvent e = ratings.get(i);
        return new InputEvent(InputEvent.Kind.RATING, e.userId(),
                dev.streamrec.schemas.RatingEvent.newBuilder().setEventId(idPrefix + i).setUserId(e.userId())
                        .setItemId(e.itemId()).setEventTime(Instant.ofEpochSecond(e.timestamp()))
                        .setRating(e.rating()).build());
    }
}
