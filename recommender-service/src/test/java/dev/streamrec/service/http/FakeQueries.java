package dev.streamrec.service.http;

import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.service.items.ScoredItem;
import dev.streamrec.service.query.InstanceInfo;
import dev.streamrec.service.query.Lookup;
import dev.streamrec.service.query.QueryUnavailableException;
import dev.streamrec.service.query.ReadMode;
import dev.streamrec.service.query.RecommendationQueries;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process {@link RecommendationQueries} whose answers each test sets, so the HTTP layer's
 * contract is checked without a broker. Unknown keys are {@link Lookup.Absent}; the read mode of
 * the last keyed query is remembered.
 */
final class FakeQueries implements RecommendationQueries {
    final Map<String, Lookup<Recommendations>> recommendations = new ConcurrentHashMap<>();
    final Map<String, Lookup<UserProfile>> profiles = new ConcurrentHashMap<>();
    final Map<String, Lookup<List<ScoredItem>>> similar = new ConcurrentHashMap<>();
    volatile List<ScoredItem> popular = List.of();
    volatile List<InstanceInfo> instances = List.of();
    volatile QueryUnavailableException instancesUnavailable;
    volatile boolean ready = true;
    /** When set, the Kafka Streams state reported, and not alive. */
    volatile String failedState;
    volatile ReadMode lastMode;
    volatile int lastLimit;
    volatile RuntimeException failure;
    /** When set, run at the start of every keyed query (a test holding a request in flight). */
    volatile Runnable beforeKeyedQuery;
    final AtomicInteger keyedQueries = new AtomicInteger();

    @Override
    public Lookup<Recommendations> recommendations(final String userId, final ReadMode mode) {
        return keyed(recommendations, userId, mode);
    }

    @Override
    public Lookup<UserProfile> profile(final String userId, final ReadMode mode) {
        return keyed(profiles, userId, mode);
    }

    private <V> Lookup<V> keyed(final Map<String, Lookup<V>> answers, final String key, final ReadMode mode) {
        final Runnable hook = beforeKeyedQuery;
        if (hook != null) {
            hook.run();
        }
        if (failure != null) {
            throw failure;
        }
        keyedQueries.incrementAndGet();
        lastMode = mode;
        return answers.getOrDefault(key, new Lookup.Absent<>());
    }

    @Override
    public Lookup<List<ScoredItem>> similarItems(final String itemId, final int limit) {
        lastLimit = limit;
        final Lookup<List<ScoredItem>> answer = similar.getOrDefault(itemId, new Lookup.Absent<>());
        if (answer instanceof Lookup.Found<List<ScoredItem>> found) {
            return new Lookup.Found<>(found.value().subList(0, Math.min(limit, found.value().size())));
        }
        return answer;
    }

    @Override
    public List<ScoredItem> popularItems(final int limit) {
        lastLimit = limit;
        return popular.subList(0, Math.min(limit, popular.size()));
    }

    @Override
    public List<InstanceInfo> instances() {
        if (instancesUnavailable != null) {
            throw instancesUnavailable;
        }
        return instances;
    }

    @Override
    public String state() {
        if (failedState != null) {
            return failedState;
        }
        return ready ? "RUNNING" : "REBALANCING";
    }

    @Override
    public boolean alive() {
        return failedState == null;
    }

    @Override
    public boolean ready() {
        return ready;
    }
}
