package dev.streamrec.bench.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact CPU time per thread group over a run, from the JVM's per-thread CPU clocks: what the
 * sampled profile cannot say reliably (Flight Recorder's execution samples favour Java code in
 * hot loops over threads in native calls, socket and file I/O, so a compute kernel's share of
 * samples overstates its share of the CPU). Threads are grouped as {@link HotPathProfile#group}
 * does. What no live Java thread accounts for (GC and JIT compiler threads, threads that ended
 * during the run) is reported as one remainder.
 */
final class ThreadCpu {
    static final String REMAINDER = "JVM internals (GC, JIT compiler) and threads that ended during the run";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> startNanos = new HashMap<>();
    private final double processStartSeconds;

    private ThreadCpu() {
        for (final long id : threads.getAllThreadIds()) {
            final long cpu = threads.getThreadCpuTime(id);
            if (cpu >= 0) {
                startNanos.put(id, cpu);
            }
        }
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
        final Map<String, Double> sorted = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        sorted.put(REMAINDER, Math.max(0, processSeconds - attributed));
        return sorted;
    }
}
