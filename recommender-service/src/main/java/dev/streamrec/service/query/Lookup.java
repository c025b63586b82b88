package dev.streamrec.service.query;

/**
 * Where the answer to a keyed query is, as the interactive-query layer sees it. The HTTP layer turns
 * each case into a response: a value, a cold start or 404, a forward, or a 503.
 */
public sealed interface Lookup<T> {

    /** The key lives here and has a value. */
    record Found<T>(T value) implements Lookup<T> {
    }

    /** The key lives here (its partition's store is open and queryable) and has no value. */
    record Absent<T>() implements Lookup<T> {
    }

    /** The key lives on another instance, reachable over HTTP at {@code host:port}. */
    record Elsewhere<T>(String host, int port) implements Lookup<T> {
    }

    /** Nobody can answer right now (metadata not ready, store migrating or restoring). */
    record Unavailable<T>(String reason) implements Lookup<T> {
    }
}
