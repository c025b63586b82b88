package dev.streamrec.updater;

import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.topology.TopicProvisioner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the profile-updater: loads configuration (defaults, then the properties file named by the
 * first argument if any, then {@code STREAMREC_*} environment variables), builds the topology,
 * starts Kafka Streams and closes it cleanly on shutdown. When Kafka Streams stops by itself
 * (state {@code ERROR}: a global thread failed, or stream threads kept failing) the process exits
 * with status 1, so that whatever supervises it restarts it, with its own backoff.
 */
public final class ProfileUpdaterApp {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileUpdaterApp.class);

    private ProfileUpdaterApp() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final UpdaterConfig config = UpdaterConfig.load(args.length > 0 ? Path.of(args[0]) : null);
        final ExitOnError lifecycle = new ExitOnError();
        final KafkaStreams streams = start(config, lifecycle);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(30));
            lifecycle.stopped();
        }, "profile-updater-shutdown"));
        final int status = lifecycle.awaitExitStatus();
        if (status != 0) {
            // Not from the state listener: it runs on a Kafka Streams thread, which the shutdown
            // hook's close() waits for.
            System.exit(status);
        }
    }

    /** Builds and starts the application; the caller closes it. */
    public static KafkaStreams start(final UpdaterConfig config) {
        return start(config, (newState, oldState) -> { });
    }

    /**
     * Builds and starts the application with {@code listener} told of every state change; the
     * caller closes it.
     */
    public static KafkaStreams start(final UpdaterConfig config, final KafkaStreams.StateListener listener) {
        if (config.settings().bool("topics.create")) {
            TopicProvisioner.ensureTopics(config, config.settings().intValue("topics.partitions", 1, 10_000),
                    (short) config.settings().intValue("topics.replication.factor", 1, 32));
        }
        // Created or not, existing event topics may disagree on their partition counts.
        TopicProvisioner.requireCoPartitionedEventTopics(config);
        final Topology topology = ProfileUpdaterTopology.build(config);
        LOG.info("Starting {} against {}\n{}", config.applicationId(), config.bootstrapServers(), topology.describe());
        final KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties());
        streams.setUncaughtExceptionHandler(new ThreadReplacementLimit());
        streams.setStateListener(listener);
        streams.start();
        return streams;
    }

    /**
     * Replaces a stream thread that a bug killed past every handler, rather than the instance,
     * but only {@link #MAX_REPLACEMENTS} times within {@link #WINDOW}: one more failure within it
     * shuts the client down ({@code SHUTDOWN_CLIENT}, then state {@code ERROR}). Failures that
     * repeat every time (an authorisation error, a record too large, a registry refusing a schema,
     * the deserialization handler's FAIL while the registry is down) would otherwise replace
     * threads and rebalance the group forever with no backoff, the instance looking alive.
     *
     * <p>The window is long because a replacement is slow to fail again: under exactly-once the
     * failed thread's tasks restore their stores from the changelogs before they reprocess the
     * record that killed it. Three unrelated failures within an hour are themselves worth a restart.
     */
    public static final class ThreadReplacementLimit implements StreamsUncaughtExceptionHandler {
        /** Replacements allowed within {@link #WINDOW}; the next failure within it shuts the client down. */
        public static final int MAX_REPLACEMENTS = 3;
        public static final Duration WINDOW = Duration.ofHours(1);

        private final int maxReplacements;
        private final Duration window;
        private final LongSupplier nanoTime;
        /** {@link #nanoTime} of each replacement within the window, oldest first. */
        private final Deque<Long> replacements = new ArrayDeque<>();

        public ThreadReplacementLimit() {
            this(MAX_REPLACEMENTS, WINDOW, System::nanoTime);
        }

        ThreadReplacementLimit(final int maxReplacements, final Duration window, final LongSupplier nanoTime) {
            this.maxReplacements = maxReplacements;
            this.window = window;
            this.nanoTime = nanoTime;
        }

        @Override
        public synchronized StreamThreadExceptionResponse handle(final Throwable exception) {
            final long now = nanoTime.getAsLong();
            while (!replacements.isEmpty() && now - replacements.peekFirst() >= window.toNanos()) {
                replacements.removeFirst();
            }
            if (replacements.size() >= maxReplacements) {
                LOG.error("Stream thread failed after {} thread replacements within {}, the most allowed: shutting"
                        + " this instance down", replacements.size(), window, exception);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
            replacements.addLast(now);
            LOG.error("Stream thread failed; replacing it ({} of at most {} replacements within {})",
                    replacements.size(), maxReplacements, window, exception);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
    }

    /**
     * Holds {@code main} until the application stops: after a shutdown ({@link #stopped}, status 0)
     * or when Kafka Streams reaches {@code ERROR} by itself (status 1), where it would otherwise
     * stay, doing nothing, in a process that looks alive to whatever would restart it.
     */
    public static final class ExitOnError implements KafkaStreams.StateListener {
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile boolean failed;

        @Override
        public void onChange(final KafkaStreams.State newState, final KafkaStreams.State oldState) {
            if (newState == KafkaStreams.State.ERROR) {
                LOG.error("Kafka Streams went from {} to ERROR and processes nothing more: exiting with status 1", oldState);
                failed = true;
                done.countDown();
            }
        }

        /** The application was closed on purpose. */
        public void stopped() {
            done.countDown();
        }

        /** Waits for a stop; 0 after {@link #stopped}, 1 after {@code ERROR}. */
        public int awaitExitStatus() throws InterruptedException {
            done.await();
            return failed ? 1 : 0;
        }
    }
}
