package dev.streamrec.demo;

import dev.streamrec.demo.broker.KafkaBrokerProcess;
import dev.streamrec.demo.gen.EventSource;
import dev.streamrec.demo.gen.KafkaEventSink;
import dev.streamrec.demo.gen.MovieLensFile;
import dev.streamrec.demo.gen.MovieLensRating;
import dev.streamrec.demo.gen.MovieLensReplay;
import dev.streamrec.demo.gen.SyntheticEvents;
import dev.streamrec.demo.gen.SyntheticWorld;
import dev.streamrec.demo.monitor.OutputMonitor;
import dev.streamrec.demo.monitor.RunStats;
import dev.streamrec.schemas.Item;
import dev.streamrec.service.ServiceRuntime;
import dev.streamrec.service.config.ServiceConfig;
import dev.streamrec.updater.ProfileUpdaterApp;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.topology.Topics;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The whole system on one machine: a Kafka broker in its own JVM, and in this JVM the in-memory
 * schema registry ({@code mock://}), the profile-updater, the recommender-service, an event
 * generator (or a MovieLens replay) and a monitor that prints a status line a second. Every part
 * is registered as it starts and {@link #close()} stops them in reverse order, whatever point the
 * start had reached: a Ctrl-C during start-up leaves nothing running either.
 */
public final class Demo implements AutoCloseable {
    /** One in-memory registry shared by every serde of this JVM. */
    static final String REGISTRY_URL = "mock://streamrec-demo";
    private static final Duration BROKER_READY_WITHIN = Duration.ofSeconds(120);

    private final DemoOptions options;
    private final RunDirectory runDirectory;
    private final PrintStream out;
    private final EventSource source;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private boolean closed;
    private boolean keepRunDirectory;
    private volatile KafkaBrokerProcess broker;

    private Demo(final DemoOptions options, final EventSource source, final RunDirectory runDirectory,
                 final PrintStream out) {
        this.options = options;
        this.source = source;
        this.runDirectory = runDirectory;
        this.out = out;
        this.keepRunDirectory = options.keep();
    }

    /**
     * A demo not started yet; {@link #start(String, int)} starts it, {@link #close()} stops it at any point.
     *
     * @param source what the generator sends, from {@link #eventSource(DemoOptions)}
     */
    public static Demo create(final DemoOptions options, final EventSource source, final RunDirectory runDirectory,
                              final PrintStream out) {
        return new Demo(options, source, runDirectory, out);
    }

    /**
     * Starts everything and returns once events flow.
     *
     * @param classPath the class path for the broker JVM (must hold kafka_2.13 and the demo's classes)
     * @param httpPort  the recommender-service's port, already known to be free
     * @throws CancellationException when {@link #close()} was called meanwhile
     */
    public void start(final String classPath, final int httpPort) {
        try {
            startAll(classPath, httpPort);
        } catch (final RuntimeException e) {
            synchronized (this) {
                if (closed && !(e instanceof CancellationException)) {
                    // What close() stopped made the start fail: a stop, not an error to report.
                    final CancellationException cancelled = new CancellationException("the demo is stopping");
                    cancelled.initCause(e);
                    throw cancelled;
                }
            }
            throw e;
        }
    }

    private void startAll(final String classPath, final int httpPort) {
        out.printf(Locale.ROOT, "streamrec demo: run directory %s (logs in %s)%n", runDirectory.root(), runDirectory.logs());
        out.println("starting Kafka broker (KRaft, separate JVM) ...");
        final long brokerStart = System.nanoTime();
        // Registered before any JVM is launched: a Ctrl-C during the broker's start stops it too.
        broker = register(KafkaBrokerProcess.prepare(classPath, runDirectory.kafkaData(), runDirectory.logs()));
        broker.launch(BROKER_READY_WITHIN);
        out.printf(Locale.ROOT, "  broker ready at %s, pid %d, in %.1f s (log: %s)%n", broker.bootstrapServers(),
                broker.pid(), (System.nanoTime() - brokerStart) / 1e9, broker.log());

        // Before anything opens a store, so a SIGKILL leaves RocksDB's 15 MB library only in the run directory.
        RocksDbNativeLibrary.loadFrom(runDirectory.nativeLibraries());
        final UpdaterConfig updaterConfig = UpdaterConfig.of(updaterSettings(broker.bootstrapServers()));
        out.println("starting profile-updater (Kafka Streams, exactly-once) ...");
        final KafkaStreams updater = ProfileUpdaterApp.start(updaterConfig);
        register(() -> updater.close(closeTimeout()));

        out.printf(Locale.ROOT, "starting recommender-service on http://localhost:%d ...%n", httpPort);
        final ServiceRuntime service = register(ServiceRuntime.start(ServiceConfig.of(serviceSettings(
                broker.bootstrapServers(), httpPort))));

        final Topics topics = new Topics(updaterConfig);
        final RunStats stats = new RunStats();
        final OutputMonitor monitor = register(new OutputMonitor(broker.bootstrapServers(), topics, stats));
        monitor.start();

        final KafkaEventSink sink = new KafkaEventSink(broker.bootstrapServers(), topics);
        final GeneratorRun generator = register(new GeneratorRun(source, sink, sink::counts, stats, out,
                service.port()));
        out.println("generator: " + source.describe());
        generator.start();
    }

    /**
     * How long the updater may take to close: long enough to commit its last transaction, short
     * when the broker is already gone (nothing can be committed; waiting only delays the exit).
     */
    private Duration closeTimeout() {
        return broker.isAlive() ? Duration.ofSeconds(30) : Duration.ofSeconds(3);
    }

    /** Keeps the run directory at exit (to read the logs of a failed start). */
    public synchronized void keepRunDirectory() {
        keepRunDirectory = true;
    }

    /** The broker's pid while it runs, or -1. */
    public synchronized long brokerPid() {
        return broker == null ? -1 : broker.pid();
    }

    /**
     * Stops whatever was started, last first, then deletes the run directory (unless kept).
     * Safe to call twice and from a shutdown hook while {@link #start} is still running.
     */
    @Override
    public void close() {
        final Deque<AutoCloseable> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayDeque<>(started);
            started.clear();
        }
        out.println("stopping ...");
        while (!toClose.isEmpty()) {
            closeQuietly(toClose.pop());
        }
        if (keepRunDirectory) {
            runDirectory.keep();
            out.println("kept the run directory " + runDirectory.root());
        } else {
            runDirectory.delete();
        }
        out.println("stopped.");
        out.flush();
    }

    /** Registers a started part for {@link #close()}; if closing already began, stops it at once. */
    private synchronized <T extends AutoCloseable> T register(final T part) {
        if (closed) {
            closeQuietly(part);
            throw new CancellationException("the demo is stopping");
        }
        started.push(part);
        return part;
    }

    private void closeQuietly(final AutoCloseable part) {
        try {
            part.close();
        } catch (final Exception e) {
            // Keep stopping the rest: one part that fails to stop must not leave the broker running.
            out.println("  (while stopping: " + e + ")");
        }
    }

    private Map<String, String> updaterSettings(final String bootstrapServers) {
        final Map<String, String> s = new HashMap<>();
        s.put("application.id", "streamrec-demo-updater");
        s.put("bootstrap.servers", bootstrapServers);
        s.put("schema.registry.url", REGISTRY_URL);
        s.put("state.dir", runDirectory.updaterState().toString());
        s.put("topics.partitions", String.valueOf(options.partitions()));
        s.put("kafka.replication.factor", "1");
        // A status line a second deserves model figures at least that fresh.
        s.put("metrics.interval.ms", "1000");
        return s;
    }

    private Map<String, String> serviceSettings(final String bootstrapServers, final int httpPort) {
        final Map<String, String> s = new HashMap<>();
        s.put("application.id", "streamrec-demo-service");
        s.put("bootstrap.servers", bootstrapServers);
        s.put("schema.registry.url", REGISTRY_URL);
        s.put("state.dir", runDirectory.serviceState().toString());
        // Loopback only: a demo has no business being reachable from the network.
        s.put("http.host", "127.0.0.1");
        s.put("http.port", String.valueOf(httpPort));
        s.put("application.server", "localhost:" + httpPort);
        s.put("kafka.replication.factor", "1");
        return s;
    }

    /**
     * The generator or the replay the options ask for. Called before anything starts: a dataset
     * that cannot be read or holds a malformed line stops the demo at once, not after the broker
     * and both applications have started.
     *
     * @throws ConfigException naming {@code --dataset}, the file and the first bad line
     */
    public static EventSource eventSource(final DemoOptions options) {
        try {
            return source(options);
        } catch (final IllegalArgumentException | UncheckedIOException e) {
            throw new ConfigException("--dataset: " + e.getMessage());
        }
    }

    private static EventSource source(final DemoOptions options) {
        if (options.dataset() == null) {
            final SyntheticWorld world = SyntheticWorld.create(options.users(), options.items(), options.categories(),
                    options.seed());
            return new SyntheticEvents(world, options.rate(), options.seed(), String.format(Locale.ROOT,
                    "synthetic, %d users with planted tastes, %d items in %d categories, %.1f events/s, seed %d",
                    options.users(), options.items(), options.categories(), options.rate(), options.seed()));
        }
        final List<MovieLensRating> ratings = MovieLensFile.readRatings(options.dataset());
        final double speedup = options.speedup() > 0 ? options.speedup()
                : MovieLensReplay.speedupFor(ratings, options.rate());
        final List<Item> catalog = MovieLensFile.readCatalogBeside(options.dataset(), System.currentTimeMillis());
        final double wallSeconds = (ratings.get(ratings.size() - 1).timestampSeconds()
                - ratings.get(0).timestampSeconds()) / speedup;
        return new MovieLensReplay(ratings, catalog, speedup, String.format(Locale.ROOT,
                "replay of %s: %d ratings, %d catalog items, speed-up %.0fx (about %.0f s), event times shifted to now",
                options.dataset(), ratings.size(), catalog.size(), speedup, wallSeconds));
    }
}
