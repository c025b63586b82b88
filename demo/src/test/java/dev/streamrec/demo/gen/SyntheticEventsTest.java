package dev.streamrec.demo.gen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.RatingEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticEventsTest {
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void keepsTheRateAndSkipsABacklogInsteadOfBurstingIt() {
        final SyntheticEvents events = new SyntheticEvents(SyntheticWorld.create(100, 50, 5, 1), 50, 1, "test");
        final RecordingSink sink = new RecordingSink();
        for (long t = 0; t <= 10_000; t += 10) {
            events.emitDue(t, NOW + t, sink);
        }
        assertThat(sink.events()).isEqualTo(500);

        // A 60 s stall: one second's worth is sent, the rest skipped.
        events.emitDue(70_000, NOW + 70_000, sink);
        assertThat(sink.events()).isEqualTo(550);
        events.emitDue(71_000, NOW + 71_000, sink);
        assertThat(sink.events()).isEqualTo(600);
    }

    @Test
    void eventsAreValidForTheUpdaterMixedAndUnique() {
        final SyntheticWorld world = SyntheticWorld.create(200, 100, 8, 7);
        final RecordingSink sink = new RecordingSink();
        run(new SyntheticEvents(world, 1000, 7, "test"), 10_000, sink);

        assertThat(sink.events()).isEqualTo(10_000);
        assertThat(sink.ratings.size()).isBetween(2_000, 3_000);
        assertThat(sink.purchases).isNotEmpty();
        assertThat(sink.ratings).allSatisfy(r -> {
            assertThat(r.getRating()).isBetween(1.0, 5.0);
            assertThat(r.getRating() % 1).isZero();
            assertThat(r.getEventTime().toEpochMilli()).isEqualTo(NOW);
        });
        final Set<String> ids = new HashSet<>();
        sink.clicks.forEach(e -> ids.add(e.getEventId()));
        sink.purchases.forEach(e -> ids.add(e.getEventId()));
        sink.ratings.forEach(e -> ids.add(e.getEventId()));
        assertThat(ids).hasSize(10_000);
    }

    @Test
    void plantedTastesShowInChoicesAndRatings() {
        final SyntheticWorld world = SyntheticWorld.create(300, 200, 8, 3);
        final RecordingSink sink = new RecordingSink();
        run(new SyntheticEvents(world, 1000, 3, "test"), 20_000, sink);

        final Map<String, SyntheticWorld.WorldUser> users = new HashMap<>();
        world.users().forEach(u -> users.put(u.id(), u));
        final Map<String, SyntheticWorld.WorldItem> items = new HashMap<>();
        world.items().forEach(i -> items.put(i.id(), i));

        // Users browse their two favourite categories far more than the 2/8 chance would give.
        final long inFavourites = sink.clicks.stream().filter(c -> {
            final SyntheticWorld.WorldUser user = users.get(c.getUserId());
            final int category = items.get(c.getItemId()).category();
            return category == user.favourite() || category == user.secondFavourite();
        }).count();
        assertThat((double) inFavourites / sink.clicks.size()).isGreaterThan(0.7);

        // Ratings follow the planted affinity: liked items get clearly more stars.
        double likedStars = 0;
        double dislikedStars = 0;
        int liked = 0;
        int disliked = 0;
        for (final RatingEvent r : sink.ratings) {
            final double affinity = SyntheticWorld.affinity(users.get(r.getUserId()), items.get(r.getItemId()));
            if (affinity > 1) {
                likedStars += r.getRating();
                liked++;
            } else if (affinity < 0) {
                dislikedStars += r.getRating();
                disliked++;
            }
        }
        assertThat(liked).isPositive();
        assertThat(disliked).isPositive();
        assertThat(likedStars / liked - dislikedStars / disliked).isGreaterThan(1.0);
    }

    @Test
    void theCatalogCoversEveryItemAndCategory() {
        final SyntheticWorld world = SyntheticWorld.create(10, 12, 12, 5);
        final var catalog = world.catalog(NOW);
        assertThat(catalog).hasSize(12);
        assertThat(catalog).extracting(i -> i.getCategories().get(0)).doesNotHaveDuplicates();
        assertThat(catalog).allSatisfy(i -> assertThat(i.getPrice()).isPositive());
    }

    /** Drives the source in 100 ms steps, as the pump does (in 10 ms ones), with a frozen clock. */
    private static void run(final SyntheticEvents events, final long millis, final RecordingSink sink) {
        for (long t = 0; t <= millis; t += 100) {
            events.emitDue(t, NOW, sink);
        }
    }
}
