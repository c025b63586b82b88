package dev.streamrec.bench.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact CPU time per thread group over a run, from the JVM's per-thread CPU clocks (a sampled
 * profile only estimates the shares). Java threads are grouped as {@link HotPathProfile#group}
 * does. Threads the JVM does not list (JIT compilers, GC and VM threads, RocksDB's flush and
 * compaction threads) are read from Linux's {@code /proc/self/task/<tid>/stat} by their native
 * name; what is still unaccounted (threads that ended during the run) is one remainder.
 */
final class ThreadCpu {
    static final String REMAINDER = "threads that ended during the run (unattributed)";
    static final String JIT = "JIT compiler threads (native)";
    static final String GC = "GC and VM threads (native)";
    static final String ROCKSDB = "RocksDB flush and compaction threads (native)";
    /** Linux's clock ticks per second for {@code /proc} CPU times ({@code getconf CLK_TCK}; 100 on every mainstream kernel). */
    private static final double TICKS_PER_SECOND = 100.0;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> startNanos = new HashMap<>();
    private final Map<String, Long> nativeStartTicks;
    private final double processStartSeconds;

    private ThreadCpu() {
        for (final long id : threads.getAllThreadIds()) {
            final long cpu = threads.getThreadCpuTime(id);
            if (cpu >= 0) {
                startNanos.put(id, cpu);
            }
        }
        nativeStartTicks = nativeTicksByTask();
        processStartSeconds = MachineLoad.processCpuSeconds();
    }

    /** Starts counting now. */
    static ThreadCpu start() {
        return new ThreadCpu();
    }

    /** CPU seconds per thread group since {@link #start}, largest first, plus the remainder. */
    Map<String, Double> secondsByGroup() {
        final double processSeconds = MachineLoad.processCpuSeconds() - processStartSeconds;
        final Map<String, Double> groups = new HashMap<>();
        double attributed = 0;
        for (final long id : threads.getAllThreadIds()) {
            final long cpu = threads.getThreadCpuTime(id);
            final ThreadInfo info = threads.getThreadInfo(id);
            if (cpu < 0 || info == null) {
                continue;
            }
            final double seconds = (cpu - startNanos.getOrDefault(id, 0L)) / 1e9;
            groups.merge(HotPathProfile.group(info.getThreadName()), seconds, Double::sum);
            attributed += seconds;
        }
        final Map<String, Long> nativeEndTicks = nativeTicksByTask();
        for (final Map.Entry<String, Long> task : nativeEndTicks.entrySet()) {
            final String category = task.getKey().substring(task.getKey().indexOf(' ') + 1);
            final double seconds = (task.getValue() - nativeStartTicks.getOrDefault(task.getKey(), 0L)) / TICKS_PER_SECOND;
            groups.merge(category, seconds, Double::sum);
            attributed += seconds;
        }
        final Map<String, Double> sorted = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.put(REMAINDER, Math.max(0, processSeconds - attributed));
        return sorted;
    }

    /**
     * utime + stime in clock ticks of every native thread of this process that is not a Java
     * thread, keyed by "tid category"; empty off Linux.
     */
    private static Map<String, Long> nativeTicksByTask() {
        final Map<String, Long> ticks = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(task -> {
                try {
                    final String stat = Files.readString(task.resolve("stat"));
                    final String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    final String category = nativeCategory(name);
                    if (category != null) {
                        // Fields after the name: state is field 3, utime 14 and stime 15 of stat(5).
                        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        ticks.put(task.getFileName() + " " + category, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                    }
                } catch (final IOException | RuntimeException gone) {
                    // the thread ended between listing and reading: its time goes to the remainder
                }
            });
        } catch (final IOException | RuntimeException notLinux) {
            return Map.of();
        }
        return ticks;
    }

    /** The category of a native thread by its (15-character) name, or null for Java threads. */
    static String nativeCategory(final String name) {
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")
                || name.startsWith("VM Periodic")) {
            return GC;
        }
        if (name.startsWith("rocksdb:")) {
            return ROCKSDB;
        }
        return null;
    }
}
