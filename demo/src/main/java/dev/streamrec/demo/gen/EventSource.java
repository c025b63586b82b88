package dev.streamrec.demo.gen;

import dev.streamrec.schemas.Item;
import java.util.List;

/**
 * A stream of user events on a clock: the synthetic generator or a dataset replay. Sources are
 * driven by the elapsed time they are given, never by reading a clock themselves, so a test can
 * run an hour of events in a millisecond.
 */
public interface EventSource {
    /** The catalog, published once before the first event. */
    List<Item> catalog();

    /**
     * Sends every event due by {@code elapsedMillis} since the start that was not sent yet.
     *
     * @param nowMillis wall-clock time, the basis of event times
     * @return false once the source has nothing more to send
     */
    boolean emitDue(long elapsedMillis, long nowMillis, EventSink sink);

    /** One line saying what the source is, for the console. */
    String describe();
}
