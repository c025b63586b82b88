package dev.streamrec.bench.e2e;

import dev.streamrec.schemas.Item;
import java.util.List;

/** What a {@link WorkloadRun} sends: a catalogue first, then events one after another. */
interface Workload {
    /** The items to publish before the clock starts (may be empty). */
    List<Item> catalog();

    /** The next event; {@code nowMs} is the wall time it is sent at. */
    InputEvent next(long nowMs);
}
