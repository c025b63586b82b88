package dev.streamrec.service.query;

/**
 * A query that cannot be answered now but may be soon (Kafka Streams not started yet, stopping,
 * or rebalancing): the HTTP layer answers 503 with {@code Retry-After}, not a 500.
 */
public final class QueryUnavailableException extends RuntimeException {
    public QueryUnavailableException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
