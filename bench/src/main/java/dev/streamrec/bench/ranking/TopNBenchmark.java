package dev.streamrec.bench.ranking;

import dev.streamrec.updater.ranking.ItemFactorMatrix;
import dev.streamrec.updater.ranking.RankedItems;
import dev.streamrec.updater.ranking.ReferenceRanker;
import dev.streamrec.updater.ranking.TopNScorer;
import dev.streamrec.updater.ranking.UserQuery;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Top-20 over 100,000 items × rank 64 with 50–200 exclusions per user, single-threaded. Every
 * benchmark reports <em>milliseconds per user</em>, so the figures compare directly:
 * <ul>
 *   <li>{@code batched}: {@link TopNScorer} on a batch of 256 users (the topology's path);</li>
 *   <li>{@code perUserFast}: {@link TopNScorer} one user at a time (the HTTP path);</li>
 *   <li>{@code reference}: {@link ReferenceRanker}, the straightforward per-user loop with a
 *       full sort (the baseline).</li>
 * </ul>
 * Per-user benchmarks cycle through the same 256 users the batch scores.
 * {@link RankingBenchReport} runs this and prints medians, ratios and memory.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TopNBenchmark {

    static final int BATCH = 256;

    @Param("100000")
    int items;
    @Param("64")
    int rank;
    @Param("20")
    int n;

    private ItemFactorMatrix matrix;
    private List<UserQuery> users;
    private TopNScorer scorer;
    private int nextUser;

    @Setup(Level.Trial)
    public void setUp() {
        matrix = RankingData.matrix(items, rank, items);
        users = RankingData.users(BATCH, rank, items);
        scorer = new TopNScorer(n);
        // Fail fast rather than time a kernel that disagrees with the reference.
        final List<RankedItems> fast = scorer.topN(matrix, users);
        for (int u = 0; u < BATCH; u += 37) {
            if (!fast.get(u).equals(ReferenceRanker.topN(matrix, users.get(u), n))) {
                throw new IllegalStateException("batched top-N differs from the reference for user " + u);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<RankedItems> batched() {
        return scorer.topN(matrix, users);
    }

    @Benchmark
    public RankedItems perUserFast() {
        return scorer.topN(matrix, nextUser());
    }

    @Benchmark
    public RankedItems reference() {
        return ReferenceRanker.topN(matrix, nextUser(), n);
    }

    private UserQuery nextUser() {
        final UserQuery user = users.get(nextUser);
        nextUser = (nextUser + 1) % BATCH;
        return user;
    }
}
