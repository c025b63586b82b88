package dev.streamrec.service.query;

import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.service.items.ScoredItem;
import java.util.List;

/**
 * What the HTTP layer needs to ask of the state, and nothing about how it is held: the production
 * implementation is {@link InteractiveQueries} over Kafka Streams; HTTP contract tests use one they
 * control. Keyed reads say where the answer is ({@link Lookup}); forwarding is the HTTP layer's job.
 */
public interface RecommendationQueries {

    Lookup<Recommendations> recommendations(String userId, ReadMode mode);

    Lookup<UserProfile> profile(String userId, ReadMode mode);

    /** Cosine neighbours of an item; {@link Lookup.Absent} when the item is unknown. Never elsewhere. */
    Lookup<List<ScoredItem>> similarItems(String itemId, int limit);

    /** The most popular items, for users with no list of their own. */
    List<ScoredItem> popularItems(int limit);

    /** Every instance of the application and what it holds. */
    List<InstanceInfo> instances();

    /** The Kafka Streams state, e.g. {@code RUNNING} or {@code REBALANCING}. */
    String state();

    /** True only while Kafka Streams is {@code RUNNING}. */
    boolean ready();

    /** False once Kafka Streams has failed or stopped for good, so that the process should be restarted. */
    boolean alive();
}
