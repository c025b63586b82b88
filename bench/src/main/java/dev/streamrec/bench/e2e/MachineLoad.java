package dev.streamrec.bench.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much of the machine this JVM had. The benchmark shares two cores with whatever else runs;
 * the report states the load average and the CPU time this process used, so a slow figure can be
 * told apart from a starved one.
 */
final class MachineLoad {
    private MachineLoad() {
    }

    /** The 1/5/15-minute load averages, or "n/a" off Linux. */
    static String loadAverage() {
        try {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (final IOException | RuntimeException e) {
            return "n/a";
        }
    }

    /** CPU time this process has used so far, in seconds (all threads: broker, app, harness). */
    static double processCpuSeconds() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }
}
