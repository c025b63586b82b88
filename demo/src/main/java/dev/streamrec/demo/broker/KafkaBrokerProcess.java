package dev.streamrec.demo.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft Kafka broker (broker and controller in one process) in a JVM of its own,
 * started the way Apache Kafka's scripts do it: {@code kafka.tools.StorageTool format} on a fresh
 * log directory, then {@code kafka.Kafka server.properties}. Both come from
 * {@code org.apache.kafka:kafka_2.13} on the demo's class path. Output goes to
 * {@code broker.log} and {@code storage-format.log} in the log directory.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
    private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final String classPath;
    private final Path properties;
    private final String bootstrapServers;
    private final Path logDir;
    private final Path log;
    /** The JVM running now: the storage formatter, then the broker; null before either. */
    private Process process;
    private boolean closed;

    private KafkaBrokerProcess(final String classPath, final Path properties, final String bootstrapServers,
                               final Path logDir) {
        this.classPath = classPath;
        this.properties = properties;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
        this.log = logDir.resolve("broker.log");
    }

    /**
     * Formats {@code dataDir}, starts the broker on free loopback ports and returns once it answers
     * a cluster description; on failure nothing is left running.
     *
     * @param classPath   a class path holding kafka_2.13 and its dependencies, and this class
     * @param dataDir     an empty directory for the broker's log segments and metadata
     * @param logDir      where the broker's console output is written
     * @param readyWithin how long the broker may take to start on a busy machine
     */
    public static KafkaBrokerProcess start(final String classPath, final Path dataDir, final Path logDir,
                                           final Duration readyWithin) {
        final KafkaBrokerProcess broker = prepare(classPath, dataDir, logDir);
        broker.launch(readyWithin);
        return broker;
    }

    /**
     * A broker on free loopback ports with its {@code server.properties} written, not started:
     * the caller can register it for {@link #close()} before {@link #launch} starts any process,
     * so a stop requested during the start (Ctrl-C) also stops the JVMs the start has launched.
     */
    public static KafkaBrokerProcess prepare(final String classPath, final Path dataDir, final Path logDir) {
        final int brokerPort = FreePorts.pick();
        int controllerPort = FreePorts.pick();
        while (controllerPort == brokerPort) {
            controllerPort = FreePorts.pick();
        }
        final Path properties = logDir.resolve("server.properties");
        write(properties, ServerProperties.singleNode(brokerPort, controllerPort, dataDir));
        return new KafkaBrokerProcess(classPath, properties, "127.0.0.1:" + brokerPort, logDir);
    }

    /**
     * Formats the storage, starts the broker JVM and waits until it answers.
     *
     * @throws CancellationException when {@link #close()} was called before or during the start
     */
    public void launch(final Duration readyWithin) {
        try {
            format(logDir.resolve("storage-format.log"));
            final List<String> command = java(classPath, "-Xms256m", "-Xmx1g");
            command.add(BrokerMain.class.getName());
            command.add(String.valueOf(ProcessHandle.current().pid()));
            command.add(properties.toString());
            launchTracked(command, log);
            awaitReady(readyWithin);
        } catch (final RuntimeException e) {
            close();
            throw cancelledOr(e);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The pid of the broker JVM (or of the formatter while it runs), -1 before either. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public Path log() {
        return log;
    }

    /**
     * Stops the broker: SIGTERM first (Kafka's shutdown hook closes the log cleanly), SIGKILL if
     * it has not exited within {@link #STOP_TIMEOUT}, and waits for the process either way. Stops
     * the formatter the same way if it is what runs, and makes a start in progress give up.
     */
    @Override
    public void close() {
        final Process running;
        synchronized (this) {
            closed = true;
            running = process;
        }
        if (running == null || !running.isAlive()) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                running.destroyForcibly();
                running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (final InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Starts a JVM and makes it the one {@link #close()} stops; refuses once closing began. */
    private synchronized Process launchTracked(final List<String> command, final Path output) {
        if (closed) {
            throw new CancellationException("the broker is being stopped");
        }
        process = launch(command, output);
        return process;
    }

    /** A failure caused by {@link #close()} during the start is a cancellation, not an error to report. */
    private synchronized RuntimeException cancelledOr(final RuntimeException e) {
        if (closed && !(e instanceof CancellationException)) {
            final CancellationException cancelled = new CancellationException("the broker start was stopped");
            cancelled.initCause(e);
            return cancelled;
        }
        return e;
    }

    private void awaitReady(final Duration within) {
        final Process process;
        synchronized (this) {
            process = this.process;
        }
        final long deadline = System.nanoTime() + within.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The Kafka broker exited with code " + process.exitValue()
                            + " while starting; last lines of " + log + ":\n" + tail(log, 30));
                }
                if (clusterAnswers(admin)) {
                    return;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException("The Kafka broker did not become ready within " + within
                            + "; last lines of " + log + ":\n" + tail(log, 30));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
        }
    }

    private static boolean clusterAnswers(final Admin admin) {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes()
                    .get(3, TimeUnit.SECONDS).isEmpty();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the broker", e);
        } catch (final Exception notYet) {
            return false;
        }
    }

    private void format(final Path formatLog) {
        final List<String> command = java(classPath, "-Xmx256m", "-XX:TieredStopAtLevel=1");
        command.addAll(List.of("kafka.tools.StorageTool", "format", "--cluster-id", Uuid.randomUuid().toString(),
                "--config", properties.toString()));
        final Process formatter = launchTracked(command, formatLog);
        try {
            if (!formatter.waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                formatter.destroyForcibly();
                throw new IllegalStateException("Formatting the broker's storage took longer than " + FORMAT_TIMEOUT
                        + "; see " + formatLog);
            }
        } catch (final InterruptedException e) {
            formatter.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting the broker's storage", e);
        }
        if (formatter.exitValue() != 0) {
            throw new IllegalStateException("kafka.tools.StorageTool format failed with code " + formatter.exitValue()
                    + ":\n" + tail(formatLog, 20));
        }
    }

    private static List<String> java(final String classPath, final String... jvmOptions) {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-Djava.awt.headless=true");
        // Kafka logs through SLF4J; slf4j-simple (on the class path) writes to stderr, i.e. the log file.
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-cp");
        command.add(classPath);
        return command;
    }

    private static Process launch(final List<String> command, final Path log) {
        try {
            return new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.PIPE)
                    .start();
        } catch (final IOException e) {
            throw new UncheckedIOException("Could not start " + String.join(" ", command.subList(0, 1)), e);
        }
    }

    private static void write(final Path file, final String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    /** The last {@code lines} lines of a log, for error messages. */
    static String tail(final Path file, final int lines) {
        try {
            final List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (final IOException | UncheckedIOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")";
        }
    }
}
