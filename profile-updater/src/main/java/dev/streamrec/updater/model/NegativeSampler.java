package dev.streamrec.updater.model;

import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/** Draws items a user is assumed not to like, for the target-0 side of the implicit loss. */
@FunctionalInterface
public interface NegativeSampler {
    /**
     * Up to {@code count} item ids, none of which satisfies {@code excluded}. May return fewer
     * when retries run out (tiny catalogues, users who have seen almost everything).
     */
    List<String> sampleNegatives(int count, Predicate<String> excluded, RandomGenerator random);
}
