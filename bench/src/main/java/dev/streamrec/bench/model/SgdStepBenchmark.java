package dev.streamrec.bench.model;

import dev.streamrec.updater.model.FactorKernels;
import dev.streamrec.updater.model.Hyperparameters;
import dev.streamrec.updater.model.ItemParameters;
import dev.streamrec.updater.model.ItemStep;
import dev.streamrec.updater.model.SgdStep;
import dev.streamrec.updater.model.StepBuffer;
import dev.streamrec.updater.model.StepOutcome;
import dev.streamrec.updater.model.UserParameters;
import dev.streamrec.updater.model.UserStepResult;
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
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of one complete SGD step: read the item vector, user side (predict, update p_u and
 * b_u, copy p_u into the message), item side (apply the message to q_i and b_i). Users and items
 * rotate over pools larger than L1 so the figure is not a single hot pair. Rank is per loss; the
 * rating step touches one slice whatever the sharing.
 *
 * <p>Two ways to carry the message, both printed: a reused {@link StepBuffer} (the step's own
 * cost) and a freshly allocated message per step, as the topology's user stage still collects
 * them today. The 256-byte copy per step at rank 64 streams through fresh heap, and its cache
 * misses cost about as much as the arithmetic.
 *
 * <pre>bench/run.sh jmh SgdStepBenchmark -f 1 -wi 3 -i 5</pre>
 *
 * <p>{@link #main} runs the same step by thread CPU time instead (medians over rounds, one JVM,
 * ranks 16–128): on a shared machine wall-clock JMH figures include time the thread spent
 * descheduled, CPU time does not.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class SgdStepBenchmark {
    private static final int USERS = 4_096;
    private static final int ITEMS = 1_024;

    @Param({"16", "32", "64", "128"})
    public int rank;

    /** Which {@link FactorKernels} run the loops: "vector" needs --add-modules jdk.incubator.vector (set below). */
    @Param({"vector", "scalar"})
    public String kernels;

    private SgdStep step;
    private UserParameters[] users;
    private ItemParameters[] items;
    private String[] itemIds;
    private StepBuffer message;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() {
        final Hyperparameters hyperparameters = Hyperparameters.defaults().toBuilder().rank(rank)
                .initialScale(0.1f).build();
        step = new SgdStep(hyperparameters, "scalar".equals(kernels) ? FactorKernels.scalar() : FactorKernels.vector());
        users = new UserParameters[USERS];
        items = new ItemParameters[ITEMS];
        itemIds = new String[ITEMS];
        message = step.newStepBuffer();
        for (int u = 0; u < USERS; u++) {
            users[u] = UserParameters.initial("user-" + u, hyperparameters);
        }
        for (int i = 0; i < ITEMS; i++) {
            itemIds[i] = "item-" + i;
            items[i] = ItemParameters.initial(itemIds[i], hyperparameters);
        }
    }

    /**
     * One rating step, both halves, the message passed through a reused {@link StepBuffer}: the
     * arithmetic of a step. Returns the outcome so nothing is dead code.
     */
    @Benchmark
    public StepOutcome ratingStep() {
        return oneStep();
    }

    /**
     * The same step through the allocating API ({@link UserStepResult} with an owned
     * {@link dev.streamrec.updater.model.ItemStep}, as {@code UserSideLearner} collects them for
     * the topology): the price of a fresh message per step.
     */
    @Benchmark
    public StepOutcome ratingStepFreshMessage() {
        return oneStepFreshMessage();
    }

    private StepOutcome oneStep() {
        final int n = cursor++;
        final ItemParameters itemView = items[item(n)];
        if (!step.ratingUserSide(users[user(n)], itemView, rating(n), 3.5f, message)) {
            return StepOutcome.DISCARDED;
        }
        return step.applyItemSide(itemView, ItemStep.Kind.RATING, message.userFactors(), message.gradientScale());
    }

    private StepOutcome oneStepFreshMessage() {
        final int n = cursor++;
        final int item = item(n);
        final ItemParameters itemView = items[item];
        final UserStepResult result = step.ratingUserSide(users[user(n)], itemView, itemIds[item], rating(n), 3.5f);
        return result.discarded() ? StepOutcome.DISCARDED : step.applyItemSide(itemView, result.itemStep());
    }

    /** Odd multiplier over a power-of-two pool: every (user, item) pair comes up, in no cache-friendly order. */
    private static int user(final int n) {
        return (n * 0x9E3779B1) >>> 20 & (USERS - 1);
    }

    private static int item(final int n) {
        return n & (ITEMS - 1);
    }

    private static float rating(final int n) {
        return 1f + (n & 3);
    }

    /**
     * Thread-CPU-time figures for the same step: per kernel implementation, message handling and rank,
     * {@code rounds} rounds of {@code stepsPerRound} steps after three warm-up rounds; prints
     * median, min and max M steps/s. The vector kernels run first, while the JIT has seen only
     * them (as in production); the scalar baseline then runs behind a bimorphic call, which
     * costs it little next to the loops.
     *
     * <pre>usage: SgdStepBenchmark [ROUNDS] [STEPS_PER_ROUND]   (defaults 15, 2000000; JVM option
     *       --add-modules jdk.incubator.vector)</pre>
     */
    public static void main(final String[] args) {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        final int stepsPerRound = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        System.out.printf(Locale.ROOT, "one rating step, user + item side, thread CPU time, %d rounds x %d steps"
                + " after 3 warm-up rounds; vector kernels: %s%n", rounds, stepsPerRound, FactorKernels.vector().name());
        System.out.printf(Locale.ROOT, "%-8s %-14s %6s %16s %8s %8s%n", "kernels", "message", "rank",
                "median M steps/s", "min", "max");
        for (final String kernels : new String[] {"vector", "scalar"}) {
            for (final boolean fresh : new boolean[] {false, true}) {
                for (final int rank : new int[] {16, 32, 64, 128}) {
                    final double[] rates = measure(kernels, fresh, rank, rounds, stepsPerRound);
                    System.out.printf(Locale.ROOT, "%-8s %-14s %6d %16.2f %8.2f %8.2f%n", kernels,
                            fresh ? "fresh per step" : "reused buffer", rank, rates[rounds / 2], rates[0],
                            rates[rounds - 1]);
                }
            }
        }
    }

    /** Sorted M steps/s of each measured round. */
    private static double[] measure(final String kernels, final boolean freshMessage, final int rank, final int rounds,
                                    final int stepsPerRound) {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        final SgdStepBenchmark state = new SgdStepBenchmark();
        state.rank = rank;
        state.kernels = kernels;
        state.setUp();
        final double[] rates = new double[rounds];
        int applied = 0;
        for (int round = -3; round < rounds; round++) {
            final long start = threads.getCurrentThreadCpuTime();
            for (int n = 0; n < stepsPerRound; n++) {
                final StepOutcome outcome = freshMessage ? state.oneStepFreshMessage() : state.oneStep();
                applied += outcome == StepOutcome.APPLIED ? 1 : 0;
            }
            final long nanos = threads.getCurrentThreadCpuTime() - start;
            if (round >= 0) {
                rates[round] = stepsPerRound * 1e3 / nanos;
            }
        }
        if (applied != (rounds + 3) * stepsPerRound) {
            throw new IllegalStateException("only " + applied + " steps applied: the benchmark measured discarded steps");
        }
        Arrays.sort(rates);
        return rates;
    }
}
