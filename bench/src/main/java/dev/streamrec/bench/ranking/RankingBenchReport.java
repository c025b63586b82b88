package dev.streamrec.bench.ranking;

import dev.streamrec.updater.ranking.ItemFactorMatrix;
import dev.streamrec.updater.ranking.ReferenceRanker;
import dev.streamrec.updater.ranking.TopNScorer;
import dev.streamrec.updater.ranking.UserQuery;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jol.info.GraphLayout;
import org.openjdk.jol.vm.VM;

/**
 * Runs {@link TopNBenchmark} and prints the figures the ranking issue asks for: median time per
 * user of the batched kernel, the per-user fast path and the straightforward reference (all in
 * the same run), their ratios, and the heap footprint of the item-factor matrix measured with
 * JOL against the raw size of its floats ({@code rows × rank × 4 + rows × 4} bytes).
 *
 * <p>Usage: {@code RankingBenchReport [warmupIterations] [measurementIterations] [secondsPerIteration]},
 * defaults 5, 10, 2.
 */
public final class RankingBenchReport {

    private static final int ITEMS = 100_000;
    private static final int RANK = 64;
    private static final double TARGET_MS_PER_USER = 1.0;
    private static final double MEMORY_TARGET_OVERHEAD = 0.10;

    private RankingBenchReport() {
    }

    public static void main(final String[] args) throws RunnerException {
        // JOL cannot read field offsets of records (the matrix snapshot is one) through Unsafe;
        // this makes it find them by layout probing instead. Must be set before JOL starts.
        System.setProperty("jol.magicFieldOffset", "true");
        final int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        final int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        final int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        if (iterations == 0) {
            printCpuTimes(10); // no JMH run: thread CPU time and memory only
            printMemory();
            return;
        }
        final Options options = new OptionsBuilder()
                .include(TopNBenchmark.class.getName() + "\\.")
                .forks(1)
                .threads(1)
                .warmupIterations(warmups)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds))
                .build();
        final Collection<RunResult> results = new Runner(options).run();
        final Map<String, double[]> iterationsByBenchmark = new LinkedHashMap<>();
        for (final RunResult result : results) {
            final String name = result.getParams().getBenchmark();
            final List<Double> scores = new ArrayList<>();
            for (final BenchmarkResult benchmark : result.getBenchmarkResults()) {
                for (final IterationResult iteration : benchmark.getIterationResults()) {
                    scores.add(iteration.getPrimaryResult().getScore());
                }
            }
            iterationsByBenchmark.put(name.substring(name.lastIndexOf('.') + 1),
                    scores.stream().mapToDouble(Double::doubleValue).toArray());
        }
        printTimes(iterationsByBenchmark, iterations);
        printCpuTimes(iterations);
        printMemory();
    }

    private static void printTimes(final Map<String, double[]> iterationsByBenchmark, final int iterations) {
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n=== ranking: top-%d of %,d items x rank %d, %d-%d exclusions/user, 1 thread, %s ===%n",
                20, ITEMS, RANK, RankingData.MIN_EXCLUDED, RankingData.MAX_EXCLUDED, Runtime.version()));
        out.append(String.format(Locale.ROOT, "%-26s %12s %10s %10s %6s%n", "path", "median ms/user", "min", "max", "iters"));
        final double batched = row(out, "batched (256 users/batch)", iterationsByBenchmark.get("batched"));
        final double perUser = row(out, "per-user fast (1 user)", iterationsByBenchmark.get("perUserFast"));
        final double reference = row(out, "reference (loop + sort)", iterationsByBenchmark.get("reference"));
        out.append(String.format(Locale.ROOT, "ratio reference / batched       : %.1fx%n", reference / batched));
        out.append(String.format(Locale.ROOT, "ratio reference / per-user fast : %.1fx%n", reference / perUser));
        out.append(String.format(Locale.ROOT, "ratio per-user fast / batched   : %.1fx%n", perUser / batched));
        out.append(String.format(Locale.ROOT, "target <= %.1f ms/user (batched): %s%n", TARGET_MS_PER_USER,
                batched <= TARGET_MS_PER_USER ? "met" : String.format(Locale.ROOT, "MISSED by %.0f %%",
                        100 * (batched / TARGET_MS_PER_USER - 1))));
        System.out.print(out);
    }

    /**
     * The same three paths timed by thread CPU time rather than wall time, in this JVM after a
     * warm-up. On a shared machine (other builds on the same cores) wall time includes time
     * the thread spent descheduled; CPU time does not, so it is the steadier figure there.
     * (It still includes slowdown from a busy hyperthread sibling and shared caches.)
     */
    private static void printCpuTimes(final int rounds) {
        final ItemFactorMatrix matrix = RankingData.matrix(ITEMS, RANK, ITEMS);
        final List<UserQuery> users = RankingData.users(TopNBenchmark.BATCH, RANK, ITEMS);
        final TopNScorer scorer = new TopNScorer(20);
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final double[] batched = new double[rounds];
        final double[] perUser = new double[rounds];
        final double[] reference = new double[rounds];
        final int perUserCalls = 16;
        final int referenceCalls = 4;
        for (int round = -3; round < rounds; round++) { // three rounds of warm-up
            long start = threads.getCurrentThreadCpuTime();
            sink += scorer.topN(matrix, users).size();
            final double batchedMs = (threads.getCurrentThreadCpuTime() - start) / 1e6 / users.size();
            start = threads.getCurrentThreadCpuTime();
            for (int u = 0; u < perUserCalls; u++) {
                sink += scorer.topN(matrix, users.get(u)).size();
            }
            final double perUserMs = (threads.getCurrentThreadCpuTime() - start) / 1e6 / perUserCalls;
            start = threads.getCurrentThreadCpuTime();
            for (int u = 0; u < referenceCalls; u++) {
                sink += ReferenceRanker.topN(matrix, users.get(u), 20).size();
            }
            final double referenceMs = (threads.getCurrentThreadCpuTime() - start) / 1e6 / referenceCalls;
            if (round >= 0) {
                batched[round] = batchedMs;
                perUser[round] = perUserMs;
                reference[round] = referenceMs;
            }
        }
        final StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%n=== same paths, thread CPU time (in-process, %d rounds after 3 warm-up) ===%n", rounds));
        out.append(String.format(Locale.ROOT, "%-26s %12s %10s %10s %6s%n", "path", "median ms/user", "min", "max", "rounds"));
        final double batchedMedian = row(out, "batched (256 users/batch)", batched);
        final double perUserMedian = row(out, "per-user fast (1 user)", perUser);
        final double referenceMedian = row(out, "reference (loop + sort)", reference);
        out.append(String.format(Locale.ROOT, "ratio reference / batched       : %.1fx%n", referenceMedian / batchedMedian));
        out.append(String.format(Locale.ROOT, "ratio reference / per-user fast : %.1fx%n", referenceMedian / perUserMedian));
        System.out.print(out);
    }

    /** Keeps the timed calls' results observable so the JIT cannot drop them. */
    private static long sink;

    /** Prints one timing row and returns its median. */
    private static double row(final StringBuilder out, final String label, final double[] scores) {
        final double[] sorted = scores.clone();
        Arrays.sort(sorted);
        final double median = median(sorted);
        out.append(String.format(Locale.ROOT, "%-26s %12.3f %10.3f %10.3f %6d%n", label, median,
                sorted[0], sorted[sorted.length - 1], sorted.length));
        return median;
    }

    private static double median(final double[] sorted) {
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * Three ways the matrix can come to hold 100k items: sized from the catalog up front, grown
     * one upsert at a time from the default capacity (up to a third slack), and grown then
     * trimmed. JOL walks the real object graph, so the figures include array headers, the
     * status/norm/version arrays, the id index and any capacity slack.
     */
    private static void printMemory() {
        final StringBuilder out = new StringBuilder();
        final long raw = (long) ITEMS * RANK * Float.BYTES + (long) ITEMS * Float.BYTES;
        out.append(String.format(Locale.ROOT, "%n=== matrix memory (JOL GraphLayout, %s) ===%n", VM.current().getClass().getSimpleName()));
        out.append(String.format(Locale.ROOT, "raw floats: %,d rows x %d x 4 B + %,d biases x 4 B = %,d B%n", ITEMS, RANK, ITEMS, raw));
        out.append(String.format(Locale.ROOT, "%-22s %9s %14s %8s %16s %8s  %s%n",
                "matrix built", "capacity", "w/o id strings", "over raw", "with id strings", "over raw", "target +10 %"));
        memoryRow(out, "presized (capacity)", RankingData.matrix(ITEMS, RANK, ITEMS), raw);
        memoryRow(out, "grown from 1024", RankingData.matrix(ITEMS, RANK, 1024), raw);
        final ItemFactorMatrix trimmed = RankingData.matrix(ITEMS, RANK, 1024);
        trimmed.trimToSize();
        memoryRow(out, "grown, trimToSize()", trimmed, raw);
        out.append("w/o id strings = everything the matrix holds except the item-id String objects, which it\n"
                + "shares with the caller (the record keys); with id strings = the whole reachable graph.\n");
        System.out.print(out);
    }

    private static void memoryRow(final StringBuilder out, final String label, final ItemFactorMatrix matrix, final long raw) {
        final long total = GraphLayout.parseInstance(matrix).totalSize();
        final String[] ids = new String[matrix.size()];
        for (int row = 0; row < ids.length; row++) {
            ids[row] = matrix.itemIdAt(row);
        }
        final long idStrings = GraphLayout.parseInstance((Object) ids).totalSize() - VM.current().sizeOf(ids);
        final long withoutIds = total - idStrings;
        final double overhead = (double) withoutIds / raw - 1;
        out.append(String.format(Locale.ROOT, "%-22s %,9d %,14d %7.1f%% %,16d %7.1f%%  %s%n", label, matrix.capacity(),
                withoutIds, 100 * overhead, total, 100 * ((double) total / raw - 1),
                overhead <= MEMORY_TARGET_OVERHEAD ? "met" : "missed"));
    }
}
