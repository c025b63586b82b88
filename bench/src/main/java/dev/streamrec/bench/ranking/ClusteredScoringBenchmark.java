package dev.streamrec.bench.ranking;

import dev.streamrec.updater.ranking.ClusterIndex;
import dev.streamrec.updater.ranking.ClusteredTopNScorer;
import dev.streamrec.updater.ranking.ItemFactorMatrix;
import dev.streamrec.updater.ranking.RankedItems;
import dev.streamrec.updater.ranking.TopNScorer;
import dev.streamrec.updater.ranking.UserQuery;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exact batched top-20 ({@link TopNScorer}, the full catalogue) against the cluster-index path the
 * topology takes on large catalogues ({@link ClusteredTopNScorer}, √items clusters, {@code probes}
 * of them per user), microseconds per batch of 256 or 1,024 users, rank 64.
 *
 * <p>Two catalogues: {@code taste} (items around 20 category centroids, as a trained model's and the
 * end-to-end workload's are) and {@code gaussian} (no structure at all: the worst case for any
 * clustering). The setup prints, for the same batch, the recall of the clustered lists against the
 * exact ones and the index build time, so speed is never read without what it costs.
 *
 * <p>{@code bench/run.sh jmh ClusteredScoring}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ClusteredScoringBenchmark {

    static final int CATEGORIES = 20;

    @Param("10000")
    int items;
    @Param("64")
    int rank;
    @Param({"taste", "gaussian"})
    String catalogue;
    @Param("10")
    int probes;
    /** Users per refresh batch: the topology's is 256; more users share each cluster's rows. */
    @Param({"256", "1024"})
    int batch;

    private ItemFactorMatrix matrix;
    private List<UserQuery> users;
    private ClusterIndex index;
    private TopNScorer exact;
    private ClusteredTopNScorer clustered;

    @Setup(Level.Trial)
    public void setUp() {
        final boolean taste = catalogue.equals("taste");
        matrix = taste ? RankingData.tasteMatrix(items, rank, CATEGORIES) : RankingData.matrix(items, rank, items);
        users = taste ? RankingData.tasteUsers(batch, rank, items, CATEGORIES) : RankingData.users(batch, rank, items);
        final long started = System.nanoTime();
        index = ClusterIndex.build(matrix, ClusterIndex.defaultClusters(items), 1L);
        final long buildMs = (System.nanoTime() - started) / 1_000_000;
        exact = new TopNScorer(20);
        clustered = new ClusteredTopNScorer(20, probes);
        final List<RankedItems> exactLists = exact.topN(matrix, users);
        final List<RankedItems> clusteredLists = clustered.topN(matrix, index, users);
        double recall = 0;
        for (int u = 0; u < batch; u++) {
            final int[] found = clusteredLists.get(u).rows();
            recall += Arrays.stream(exactLists.get(u).rows())
                    .filter(row -> Arrays.stream(found).anyMatch(f -> f == row)).count()
                    / (double) exactLists.get(u).size();
        }
        System.out.printf(Locale.ROOT, "%n[%s catalogue, %d items] %d clusters, %d probed; index built in %d ms;"
                        + " recall@20 of clustered vs exact lists: %.4f%n",
                catalogue, items, index.clusters(), Math.min(probes, index.clusters()), buildMs, recall / batch);
    }

    /** Whole batch; divide by {@code batch} for the time per user (the report does). */
    @Benchmark
    public List<RankedItems> exactBatch() {
        return exact.topN(matrix, users);
    }

    @Benchmark
    public List<RankedItems> clusteredBatch() {
        return clustered.topN(matrix, index, users);
    }
}
