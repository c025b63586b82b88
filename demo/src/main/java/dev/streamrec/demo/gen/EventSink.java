package dev.streamrec.demo.gen;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.PurchaseEvent;
import dev.streamrec.schemas.RatingEvent;

/** Where an {@link EventSource} puts what it makes: Kafka in the demo, a list in tests. */
public interface EventSink extends AutoCloseable {
    void item(Item item);

    void click(ClickEvent event);

    void purchase(PurchaseEvent event);

    void rating(RatingEvent event);

    /**
     * Sends what is buffered and waits for the answers, for a bounded time in a sink that can wait
     * long; nothing to do for a sink that does not buffer.
     *
     * @return whether everything handed over so far has been answered (acknowledged or failed);
     *         false when the bound passed first
     */
    default boolean flush() {
        return true;
    }

    @Override
    default void close() {
    }
}
