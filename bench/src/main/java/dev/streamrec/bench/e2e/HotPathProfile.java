package dev.streamrec.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import one.profiler.AsyncProfiler;
import one.profiler.Counter;

/**
 * A CPU profile of this JVM (broker, application and harness share it) during one measurement,
 * taken with async-profiler: every thread is sampled in proportion to the CPU time it uses, with
 * its Java, native (RocksDB's JNI code, the JIT, GC) and kernel frames. Flight Recorder, used
 * before, samples Java threads on a wall-clock period and threads in native calls half as often,
 * so a hot Java loop looked several times bigger than it was.
 *
 * <p>Summarised as: samples per thread group; for the stream threads, the activity each sample
 * belongs to (the innermost frame that names one, so the shares add up to 100 %), the hottest
 * top-of-stack frames, and the nearest streamrec frame (which of our steps the time is under).
 */
final class HotPathProfile {
    /** Counts, highest first. {@code method} says how the samples were taken. */
    record Summary(String method, Map<String, Long> byThreadGroup, Map<String, Long> streamActivities,
                   Map<String, Long> streamLeafFrames, Map<String, Long> streamProjectFrames, long samples) {
    }

    /** One activity of a stream thread, recognised by a frame on its stack. */
    private record Activity(String name, Predicate<String> frame) {
    }

    /** Sampling period: ~200 samples per second per busy core, small enough not to slow the run. */
    private static final String INTERVAL = "5ms";

    /** Checked from the leaf up: the first activity whose frame appears names the sample. */
    private static final List<Activity> ACTIVITIES = List.of(
            new Activity("RocksDB writes (put, delete, flush of memtables)", f -> f.startsWith("org/rocksdb/")
                    && (f.contains(".put") || f.contains(".write") || f.contains(".delete") || f.contains(".flush"))),
            new Activity("RocksDB reads (get, prefix and range scans)", f -> f.startsWith("org/rocksdb/")),
            new Activity("Avro serialisation", f -> f.startsWith("dev/streamrec/serde/AvroSerializer")),
            new Activity("Avro deserialisation", f -> f.startsWith("dev/streamrec/serde/AvroDeserializer")),
            new Activity("top-N scoring (recommendation lists, quality test)", f -> f.startsWith("dev/streamrec/updater/ranking/")),
            new Activity("negative sampling", f -> f.startsWith("dev/streamrec/updater/model/PopularitySampler")),
            new Activity("SGD arithmetic", f -> f.startsWith("dev/streamrec/updater/model/")),
            new Activity("producer: append to batches, completion callbacks",
                    f -> f.startsWith("org/apache/kafka/clients/producer/")),
            new Activity("consumer: poll and fetch", f -> f.startsWith("org/apache/kafka/clients/consumer/")),
            new Activity("commit (flush caches, transaction)", f -> f.contains("TaskManager.commit")
                    || f.contains("TaskExecutor.commit")),
            new Activity("other streamrec code (profiles, dedupe, enrichment, lists)", f -> f.startsWith("dev/streamrec/")),
            new Activity("Kafka Streams runtime (routing records, record cache, metrics)",
                    f -> f.startsWith("org/apache/kafka/streams/")));

    private final AsyncProfiler profiler = AsyncProfiler.getInstance();
    private String method;

    /**
     * Starts profiling: CPU-time sampling through perf events, else through an interval timer
     * ({@code itimer}) where perf events are not allowed.
     */
    void start() {
        for (final String event : List.of("cpu", "itimer")) {
            try {
                profiler.execute("start,event=" + event + ",interval=" + INTERVAL + ",threads");
                method = "async-profiler " + profiler.getVersion() + ", event " + event + ", one sample per "
                        + INTERVAL + " of CPU time";
                return;
            } catch (final IOException | IllegalStateException refused) {
                // try the next event source
            }
        }
        throw new IllegalStateException("async-profiler could not start on this machine");
    }

    Summary stopAndSummarise(final Path collapsedCopy, final int top) throws IOException {
        profiler.execute("stop");
        final String collapsed = profiler.dumpCollapsed(Counter.SAMPLES);
        Files.writeString(collapsedCopy, collapsed);
        return summarise(method, collapsed, top);
    }

    /** Summarises async-profiler's collapsed stacks ("[thread tid=N];frame;…;leaf count" per line). */
    static Summary summarise(final String method, final String collapsed, final int top) {
        final Map<String, Long> groups = new HashMap<>();
        final Map<String, Long> activities = new HashMap<>();
        final Map<String, Long> leaves = new HashMap<>();
        final Map<String, Long> project = new HashMap<>();
        long samples = 0;
        for (final String line : collapsed.split("\n")) {
            final int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            final long count = Long.parseLong(line.substring(space + 1).trim());
            final String[] frames = line.substring(0, space).split(";");
            samples += count;
            final String group = group(threadName(frames[0]));
            groups.merge(group, count, Long::sum);
            if (!group.equals(STREAM_THREADS) || frames.length < 2) {
                continue;
            }
            leaves.merge(shortName(frames[frames.length - 1]), count, Long::sum);
            activities.merge(activityOf(frames), count, Long::sum);
            String nearest = "(no streamrec frame)";
            for (int f = frames.length - 1; f > 0; f--) {
                if (frames[f].startsWith("dev/streamrec/")) {
                    nearest = shortName(frames[f]);
                    break;
                }
            }
            project.merge(nearest, count, Long::sum);
        }
        return new Summary(method, sorted(groups, 14), sorted(activities, ACTIVITIES.size() + 1), sorted(leaves, top),
                sorted(project, top), samples);
    }

    private static String activityOf(final String[] frames) {
        for (int f = frames.length - 1; f > 0; f--) {
            for (final Activity activity : ACTIVITIES) {
                if (activity.frame().test(frames[f])) {
                    return activity.name();
                }
            }
        }
        return "outside Kafka Streams (thread loop, kernel)";
    }

    /** "[name tid=123]" → "name". */
    static String threadName(final String frame) {
        final int tid = frame.lastIndexOf(" tid=");
        return frame.startsWith("[") && tid > 0 ? frame.substring(1, tid) : frame;
    }

    static final String STREAM_THREADS = "stream threads";
    static final String PRODUCER_IO = "producer I/O threads (app and harness)";
    static final String BROKER_HANDLERS = "broker request handlers";
    static final String BROKER_NETWORK = "broker network threads";

    /** The group of a thread by its name (Java threads by their full name, native ones by Linux's 15 characters). */
    static String group(final String thread) {
        final String nativeCategory = ThreadCpu.nativeCategory(thread);
        if (nativeCategory != null) {
            return nativeCategory;
        }
        // Before the stream threads: an application producer's I/O thread is named after its stream thread.
        if (thread.contains("kafka-producer-network-thread")) {
            return PRODUCER_IO;
        }
        if (thread.contains("GlobalStreamThread")) {
            return "global stream thread (item factors, catalog)";
        }
        if (thread.contains("StreamThread")) {
            return STREAM_THREADS;
        }
        if (thread.contains("request-handler")) {
            return BROKER_HANDLERS;
        }
        if (thread.contains("network-thread") || thread.contains("Processor") || thread.contains("acceptor")) {
            return BROKER_NETWORK;
        }
        if (thread.startsWith("bench-") || thread.equals("main")) {
            return "benchmark harness (producer, read_committed reader)";
        }
        // Anything else, by name without its numbers, so the broker's busiest threads show up.
        return "other: " + thread.replaceAll("[0-9]+", "N");
    }

    /** "org/apache/kafka/Foo$Bar.method" → "Foo$Bar.method"; native symbols are kept, shortened. */
    private static String shortName(final String frame) {
        final String name = frame.replaceAll("_\\[[a-z0-9]\\]$", "");
        if (name.contains("/") && !name.startsWith("/")) {
            return name.substring(name.lastIndexOf('/') + 1);
        }
        return name.length() > 80 ? name.substring(0, 77) + "..." : name;
    }

    private static Map<String, Long> sorted(final Map<String, Long> counts, final int top) {
        final Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

}
