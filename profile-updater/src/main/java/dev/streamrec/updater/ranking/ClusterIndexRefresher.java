package dev.streamrec.updater.ranking;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link ClusterIndex} of one matrix fresh without ever making a reader wait: readers get
 * the last index built, or none; a stale or missing index is rebuilt on one background daemon
 * thread. Shared by every stream thread of an instance.
 *
 * <p>An index is stale when older than the rebuild interval (items move as the model learns: an
 * item's cluster is where it was at the last build) or when the rows appended since outnumber a
 * tenth of those indexed (appended rows are scored for every user until the next build). The
 * interval stretches to {@value #BUILD_TIME_MULTIPLE} times the last build's duration, so builds
 * take at most about 5 % of one core (a 100,000-item index takes ~2.4 s on this machine). A
 * catalogue smaller than {@code minItems} gets no index: full scoring is cheap there and exact.
 */
public final class ClusterIndexRefresher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterIndexRefresher.class);
    /** Appended rows that make an index stale, as a share of the indexed rows. */
    private static final double MAX_UNINDEXED_SHARE = 0.10;
    /** Minimum age of an index, as a multiple of the time its build took. */
    static final int BUILD_TIME_MULTIPLE = 20;

    private final ItemFactorMatrix matrix;
    private final int minItems;
    private final long rebuildIntervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicBoolean building = new AtomicBoolean();
    private final ExecutorService builder;
    private volatile Built current;
    private long builds;

    private record Built(ClusterIndex index, long builtAtNanos, long buildNanos) {
    }

    /**
     * @param minItems        smallest catalogue (rows) that is indexed
     * @param rebuildInterval age at which an index is rebuilt
     */
    public ClusterIndexRefresher(final ItemFactorMatrix matrix, final int minItems, final Duration rebuildInterval) {
        this(matrix, minItems, rebuildInterval, System::nanoTime);
    }

    ClusterIndexRefresher(final ItemFactorMatrix matrix, final int minItems, final Duration rebuildInterval,
                          final LongSupplier nanoClock) {
        this.matrix = Objects.requireNonNull(matrix, "matrix");
        if (minItems < 1) {
            throw new IllegalArgumentException("minItems must be at least 1, was " + minItems);
        }
        this.minItems = minItems;
        this.rebuildIntervalNanos = rebuildInterval.toNanos();
        this.nanoClock = nanoClock;
        // One daemon thread, started on the first build and gone after a minute without one, so
        // an instance (or a test) that never needs an index never holds a thread for it.
        final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 1, TimeUnit.MINUTES,
                new LinkedBlockingQueue<>(), runnable -> {
                    final Thread thread = new Thread(runnable, "streamrec-cluster-index");
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
        this.builder = executor;
    }

    /**
     * The index to score with now, or null to score the whole catalogue (small catalogue, or the
     * first index not built yet). Starts a rebuild in the background when the index is stale.
     */
    public ClusterIndex current() {
        final Built built = current;
        final int rows = matrix.size();
        if (rows < minItems) {
            return null; // rows are never removed, so no index was built either
        }
        final boolean stale = built == null
                || nanoClock.getAsLong() - built.builtAtNanos()
                        >= Math.max(rebuildIntervalNanos, BUILD_TIME_MULTIPLE * built.buildNanos())
                || rows - built.index().indexedRows() > MAX_UNINDEXED_SHARE * built.index().indexedRows();
        if (stale && building.compareAndSet(false, true)) {
            try {
                builder.execute(this::rebuild);
            } catch (final RuntimeException rejected) { // closed
                building.set(false);
            }
        }
        return built == null ? null : built.index();
    }

    /** Builds an index on the calling thread (the builder's) and publishes it. */
    private ClusterIndex build() {
        final long started = nanoClock.getAsLong();
        final int rows = matrix.size();
        final ClusterIndex index = ClusterIndex.build(matrix, ClusterIndex.defaultClusters(rows), rows);
        current = new Built(index, started, Math.max(0, nanoClock.getAsLong() - started));
        return index;
    }

    private void rebuild() {
        try {
            final long started = System.nanoTime();
            final ClusterIndex index = build();
            builds++;
            LOG.debug("Cluster index {} built: {} rows in {} clusters in {} ms", builds, index.indexedRows(),
                    index.clusters(), (System.nanoTime() - started) / 1_000_000);
        } catch (final RuntimeException | Error e) {
            // Readers keep the previous index (or full scoring); the next stale check retries.
            LOG.warn("Building the cluster index failed", e);
        } finally {
            building.set(false);
        }
    }

    @Override
    public void close() {
        builder.shutdownNow();
    }
}
