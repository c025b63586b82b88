package dev.streamrec.it.infra;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Topic names, application ids and subjects unique within a test run. Every IT shares one broker
 * and one registry, so a reused name would let one test read another's records or schemas (or a
 * previous run's, against a long-lived containers backend).
 */
public final class UniqueNames {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private UniqueNames() {
    }

    /** {@code prefix-<run>-<n>}: readable in logs, legal as topic name and application id. */
    public static String unique(final String prefix) {
        return prefix + "-" + RUN + "-" + COUNTER.incrementAndGet();
    }
}
