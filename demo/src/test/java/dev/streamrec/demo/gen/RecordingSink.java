package dev.streamrec.demo.gen;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.PurchaseEvent;
import dev.streamrec.schemas.RatingEvent;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a source sends, by kind. */
class RecordingSink implements EventSink {
    final List<Item> items = new ArrayList<>();
    final List<ClickEvent> clicks = new ArrayList<>();
    final List<PurchaseEvent> purchases = new ArrayList<>();
    final List<RatingEvent> ratings = new ArrayList<>();

    @Override
    public void item(final Item item) {
        items.add(item);
    }

    @Override
    public void click(final ClickEvent event) {
        clicks.add(event);
    }

    @Override
    public void purchase(final PurchaseEvent event) {
        purchases.add(event);
    }

    @Override
    public void rating(final RatingEvent event) {
        ratings.add(event);
    }

    int events() {
        return clicks.size() + purchases.size() + ratings.size();
    }
}
