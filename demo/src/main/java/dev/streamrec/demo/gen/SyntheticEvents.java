package dev.streamrec.demo.gen;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.PurchaseEvent;
import dev.streamrec.schemas.RatingEvent;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The synthetic event stream at a fixed rate: each event is a {@link SyntheticWorld.Choice} turned
 * into a rating (a quarter of them, stars from the affinity plus noise), a purchase (likelier for
 * liked items) or a click. Falling behind by more than a second (a stalled machine) skips the
 * backlog rather than bursting it out: the rate stays what was asked.
 */
public final class SyntheticEvents implements EventSource {
    private static final double RATING_SHARE = 0.25;
    private static final double RATING_NOISE = 0.6;

    private final SyntheticWorld world;
    private final double ratePerSecond;
    private final Random random;
    private final String description;
    private long emitted;
    private long skipped;

    public SyntheticEvents(final SyntheticWorld world, final double ratePerSecond, final long seed,
                           final String description) {
        this.world = world;
        this.ratePerSecond = ratePerSecond;
        // Not the world's seed: the same world with another event stream is a useful experiment.
        this.random = new Random(seed ^ 0x5DEECE66DL);
        this.description = description;
    }

    @Override
    public List<Item> catalog() {
        return world.catalog(System.currentTimeMillis());
    }

    @Override
    public boolean emitDue(final long elapsedMillis, final long nowMillis, final EventSink sink) {
        long target = (long) (ratePerSecond * elapsedMillis / 1000.0) - skipped;
        final long maxBurst = Math.max(1, (long) ratePerSecond);
        if (target - emitted > maxBurst) {
            skipped += target - emitted - maxBurst;
            target = emitted + maxBurst;
        }
        while (emitted < target) {
            emit(nowMillis, sink);
            emitted++;
        }
        return true;
    }

    /** Events sent so far. */
    public long emitted() {
        return emitted;
    }

    @Override
    public String describe() {
        return description;
    }

    private void emit(final long nowMillis, final EventSink sink) {
        final SyntheticWorld.Choice choice = world.next(random);
        final String userId = choice.user().id();
        final String itemId = choice.item().id();
        final String eventId = new UUID(random.nextLong(), random.nextLong()).toString();
        final double roll = random.nextDouble();
        if (roll < RATING_SHARE) {
            final double stars = Math.rint(3 + 1.25 * choice.affinity() + RATING_NOISE * random.nextGaussian());
            sink.rating(RatingEvent.newBuilder().setEventId(eventId).setUserId(userId).setItemId(itemId)
                    .setEventTime(Instant.ofEpochMilli(nowMillis)).setRating(Math.max(1, Math.min(5, stars))).build());
        } else if (roll < RATING_SHARE + purchaseShare(choice.affinity())) {
            sink.purchase(PurchaseEvent.newBuilder().setEventId(eventId).setUserId(userId).setItemId(itemId)
                    .setEventTime(Instant.ofEpochMilli(nowMillis)).setQuantity(1 + (random.nextDouble() < 0.1 ? 1 : 0))
                    .setUnitPrice(choice.item().price()).setCurrency("USD").build());
        } else {
            sink.click(ClickEvent.newBuilder().setEventId(eventId).setUserId(userId).setItemId(itemId)
                    .setEventTime(Instant.ofEpochMilli(nowMillis)).setSessionId(null).build());
        }
    }

    /** Between 2% and 20% of events: a liked item is bought more often. */
    private static double purchaseShare(final double affinity) {
        return 0.02 + 0.18 / (1 + Math.exp(-(affinity - 1)));
    }
}
