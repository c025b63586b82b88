package dev.streamrec.bench.model;

import dev.streamrec.updater.model.Hyperparameters;
import dev.streamrec.updater.model.ItemParameters;
import dev.streamrec.updater.model.SgdStep;
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
 * Throughput of one complete SGD step as the topology runs it: read the item vector, user side
 * (predict, update p_u and b_u, copy p_u into the message), item side (apply the message to q_i
 * and b_i). Users and items rotate over pools larger than L1 so the figure is not a single hot
 * pair. Rank is per loss; the rating step touches one slice whatever the sharing.
 *
 * <pre>mvn -q -pl bench exec:exec@jmh -Djmh.args="SgdStepBenchmark -f 1 -wi 3 -i 5"</pre>
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
@Fork(1)
public class SgdStepBenchmark {
    private static final int USERS = 4_096;
    private static final int ITEMS = 1_024;

    @Param({"16", "32", "64", "128"})
    public int rank;

    private SgdStep step;
    private UserParameters[] users;
    private ItemParameters[] items;
    private String[] itemIds;
    private int cursor;

    @Setup(Level.Trial)
    public void setUp() {
        final Hyperparameters hyperparameters = Hyperparameters.defaults().toBuilder().rank(rank)
                .initialScale(0.1f).build();
        step = new SgdStep(hyperparameters);
        users = new UserParameters[USERS];
        items = new ItemParameters[ITEMS];
        itemIds = new String[ITEMS];
        for (int u = 0; u < USERS; u++) {
            users[u] = UserParameters.initial("user-" + u, hyperparameters);
        }
        for (int i = 0; i < ITEMS; i++) {
            itemIds[i] = "item-" + i;
            items[i] = ItemParameters.initial(itemIds[i], hyperparameters);
        }
    }

    /** One rating step, both halves; returns the outcome so nothing is dead code. */
    @Benchmark
    public StepOutcome ratingStepUserAndItemSide() {
        return oneStep();
    }

    private StepOutcome oneStep() {
        final int n = cursor++;
        // Odd multiplier over a power-of-two pool: every (user, item) pair comes up, in no cache-friendly order.
        final int user = (n * 0x9E3779B1) >>> 20 & (USERS - 1);
        final int item = n & (ITEMS - 1);
        final ItemParameters itemView = items[item];
        final UserStepResult result = step.ratingUserSide(users[user], itemView, itemIds[item],
                1f + (n & 3), 3.5f);
        return result.discarded() ? StepOutcome.DISCARDED : step.applyItemSide(itemView, result.itemStep());
    }

    /**
     * Thread-CPU-time figures for the same step: per rank, {@code rounds} rounds of
     * {@code stepsPerRound} steps after three warm-up rounds; prints median, min and max M steps/s.
     *
     * <pre>usage: SgdStepBenchmark [ROUNDS] [STEPS_PER_ROUND]   (defaults 15, 2000000)</pre>
     */
    public static void main(final String[] args) {
        final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        final int stepsPerRound = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "one rating step, user + item side, thread CPU time, %d rounds x %d steps"
                + " after 3 warm-up rounds%n", rounds, stepsPerRound);
        System.out.printf(Locale.ROOT, "%6s %16s %10s %10s%n", "rank", "median M steps/s", "min", "max");
        for (final int rank : new int[] {16, 32, 64, 128}) {
            final SgdStepBenchmark state = new SgdStepBenchmark();
            state.rank = rank;
            state.setUp();
            final double[] rates = new double[rounds];
            int applied = 0;
            for (int round = -3; round < rounds; round++) {
                final long start = threads.getCurrentThreadCpuTime();
                for (int n = 0; n < stepsPerRound; n++) {
                    applied += state.oneStep() == StepOutcome.APPLIED ? 1 : 0;
                }
                final long nanos = threads.getCurrentThreadCpuTime() - start;
                if (round >= 0) {
                    rates[round] = stepsPerRound * 1e3 / nanos;
                }
            }
            Arrays.sort(rates);
            System.out.printf(Locale.ROOT, "%6d %16.2f %10.2f %10.2f   (%d applied)%n", rank, rates[rounds / 2],
                    rates[0], rates[rounds - 1], applied);
        }
    }
}
