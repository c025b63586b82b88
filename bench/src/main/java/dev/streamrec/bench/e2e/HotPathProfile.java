package dev.streamrec.bench.e2e;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Flight Recorder profile of this JVM (broker, application and harness share it) during one
 * measurement, summarised the way {@code jfr print --events jdk.ExecutionSample} would be read
 * by hand: samples per thread group (where the CPU goes: stream threads, broker, clients), the
 * hottest top-of-stack frames of the stream threads, and, for each stream-thread sample, the
 * nearest streamrec frame (which of our steps the time is spent under). Java and native
 * (JNI, e.g. RocksDB) samples both count.
 */
final class HotPathProfile {
    /** Counts, highest first. */
    record Summary(Map<String, Long> byThreadGroup, Map<String, Long> streamLeafFrames,
                   Map<String, Long> streamProjectFrames, long samples) {
    }

    private final Recording recording = new Recording();

    HotPathProfile() {
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        recording.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(20));
        recording.setToDisk(true);
    }

    void start() {
        recording.start();
    }

    Summary stopAndSummarise(final Path file, final int top) throws IOException {
        recording.stop();
        recording.dump(file);
        recording.close();
        final Map<String, Long> groups = new HashMap<>();
        final Map<String, Long> leaves = new HashMap<>();
        final Map<String, Long> project = new HashMap<>();
        long samples = 0;
        for (final RecordedEvent event : RecordingFile.readAllEvents(file)) {
            final String type = event.getEventType().getName();
            if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
                continue;
            }
            final RecordedStackTrace stack = event.getStackTrace();
            if (type.equals("jdk.NativeMethodSample") && idle(stack)) {
                continue; // a thread blocked in native code (epoll, park) is waiting, not working
            }
            samples++;
            final String thread = event.getThread("sampledThread") == null ? "?"
                    : String.valueOf(event.getThread("sampledThread").getJavaName());
            final String group = group(thread);
            groups.merge(group, 1L, Long::sum);
            if (!group.equals("stream threads") || stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            final List<RecordedFrame> frames = stack.getFrames();
            leaves.merge(name(frames.get(0)), 1L, Long::sum);
            String nearest = "(no streamrec frame)";
            for (final RecordedFrame frame : frames) {
                if (frame.getMethod().getType().getName().startsWith("dev.streamrec.")) {
                    nearest = name(frame);
                    break;
                }
            }
            project.merge(nearest, 1L, Long::sum);
        }
        return new Summary(sorted(groups, 12), sorted(leaves, top), sorted(project, top), samples);
    }

    private static boolean idle(final RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return true;
        }
        final String method = stack.getFrames().get(0).getMethod().getName().toLowerCase(java.util.Locale.ROOT);
        return method.contains("wait") || method.contains("park") || method.contains("poll")
                || method.contains("accept") || method.contains("sleep") || method.contains("select");
    }

    static String group(final String thread) {
        if (thread.contains("GlobalStreamThread")) {
            return "global stream thread (item factors, catalog)";
        }
        if (thread.contains("StreamThread")) {
            return "stream threads";
        }
        if (thread.contains("kafka-producer-network-thread")) {
            return "producer I/O threads (app and harness)";
        }
        if (thread.contains("request-handler")) {
            return "broker request handlers";
        }
        if (thread.contains("network-thread") || thread.contains("Processor") || thread.contains("acceptor")) {
            return "broker network threads";
        }
        if (thread.startsWith("bench-") || thread.equals("main")) {
            return "benchmark harness (producer, read_committed reader)";
        }
        // Anything else, by name without its numbers, so the broker's busiest threads show up.
        return "other: " + thread.replaceAll("[0-9]+", "N");
    }

    private static String name(final RecordedFrame frame) {
        final String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName()
                + (frame.getType().equals("Native") ? " [native]" : "");
    }

    private static Map<String, Long> sorted(final Map<String, Long> counts, final int top) {
        final Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
