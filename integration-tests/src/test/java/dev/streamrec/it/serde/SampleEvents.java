package dev.streamrec.it.serde;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

import org.apache.avro.specific.SpecificRecord;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.PurchaseEvent;
import dev.streamrec.schemas.RatingEvent;

/**
 * A few records of each input type, with the optional fields both set and unset so union branches
 * and defaults cross the wire both ways. Timestamps are whole milliseconds: timestamp-millis keeps
 * no more, so anything finer would not round-trip and the equality checks would lie.
 */
final class SampleEvents {

    private static final Instant T0 = Instant.ofEpochMilli(1_767_000_000_000L);

    private SampleEvents() {
    }

    /** A type, its key (the record key the topic uses), and sample records. */
    record Sample<T extends SpecificRecord>(Class<T> type, Function<T, String> key, List<T> records) {
        @Override
        public String toString() {
            return type.getSimpleName();
        }
    }

    static List<Sample<?>> all() {
        return List.of(clicks(), purchases(), ratings(), items());
    }

    static Sample<ClickEvent> clicks() {
        return new Sample<>(ClickEvent.class, ClickEvent::getUserId, IntStream.range(0, 5)
                .mapToObj(i -> ClickEvent.newBuilder()
                        .setEventId("click-" + i)
                        .setUserId("user-" + (i % 2))
                        .setItemId("item-" + i)
                        .setEventTime(T0.plusMillis(i))
                        .setSessionId(i % 2 == 0 ? "session-" + i : null)
                        .build())
                .toList());
    }

    static Sample<PurchaseEvent> purchases() {
        return new Sample<>(PurchaseEvent.class, PurchaseEvent::getUserId, IntStream.range(0, 5)
                .mapToObj(i -> PurchaseEvent.newBuilder()
                        .setEventId("purchase-" + i)
                        .setUserId("user-" + (i % 2))
                        .setItemId("item-" + i)
                        .setEventTime(T0.plusSeconds(i))
                        .setQuantity(1 + i)
                        .setUnitPrice(9.99 * (i + 1))
                        .setCurrency(i == 0 ? "EUR" : "USD")
                        .build())
                .toList());
    }

    static Sample<RatingEvent> ratings() {
        return new Sample<>(RatingEvent.class, RatingEvent::getUserId, IntStream.range(0, 5)
                .mapToObj(i -> RatingEvent.newBuilder()
                        .setEventId("rating-" + i)
                        .setUserId("user-" + (i % 2))
                        .setItemId("item-" + i)
                        .setEventTime(T0.plusSeconds(60L * i))
                        .setRating(1.0 + i * 0.5)
                        .build())
                .toList());
    }

    static Sample<Item> items() {
        return new Sample<>(Item.class, Item::getItemId, IntStream.range(0, 5)
                .mapToObj(i -> Item.newBuilder()
                        .setItemId("item-" + i)
                        .setTitle("Title \u00e9\u4e2d " + i) // non-ASCII: strings are UTF-8 on the wire
                        .setCategories(i == 0 ? List.of() : List.of("books", "category-" + i))
                        .setPrice(i % 2 == 0 ? null : 5.0 * i)
                        .setActive(i != 3)
                        .setUpdatedAt(T0.minusSeconds(i))
                        .build())
                .toList());
    }
}
