package dev.streamrec.updater.model;

/**
 * Read access, from the user stage, to item parameters it does not own (in the topology: the
 * global store fed by the item stage's compacted topic). The answer may be slightly stale; for an
 * item not seen yet it should be {@link ItemParameters#initial}, which every instance computes
 * identically. The learner never writes to what it gets.
 */
@FunctionalInterface
public interface ItemReader {
    ItemParameters read(String itemId);
}
