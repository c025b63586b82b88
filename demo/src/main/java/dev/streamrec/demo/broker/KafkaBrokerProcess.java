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

    private final Process process;
    private final String bootstrapServers;
    private final Path log;

    private KafkaBrokerProcess(final Process process, final String bootstrapServers, final Path log) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.log = log;
    }

    /**
     * Formats {@code dataDir}, starts the broker on free loopback ports and returns once it answers
     * a cluster description.
     *
     * @param classPath   a class path holding kafka_2.13 and its dependencies, and this class
     * @param dataDir     an empty directory for the broker's log segments and metadata
     * @param logDir      where the broker's console output is written
     * @param readyWithin how long the broker may take to start on a busy machine
     */
    public static KafkaBrokerProcess start(final String classPath, final Path dataDir, final Path logDir,
                                           final Duration readyWithin) {
        final int brokerPort = FreePorts.pick();
        int controllerPort = FreePorts.pick();
        while (controllerPort == brokerPort) {
            controllerPort = FreePorts.pick();
        }
        final Path properties = logDir.resolve("server.properties");
        write(properties, ServerProperties.singleNode(brokerPort, controllerPort, dataDir));
        format(classPath, properties, logDir.resolve("storage-format.log"));
        final Path log = logDir.resolve("broker.log");
        final List<String> command = java(classPath, "-Xms256m", "-Xmx1g");
        command.add(BrokerMain.class.getName());
        command.add(String.valueOf(ProcessHandle.current().pid()));
        command.add(properties.toString());
        final Process process = launch(command, log);
        final KafkaBrokerProcess broker = new KafkaBrokerProcess(process, "127.0.0.1:" + brokerPort, log);
        try {
            broker.awaitReady(readyWithin);
        } catch (final RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /**
     * Stops the broker: SIGTERM first (Kafka's shutdown hook closes the log cleanly), SIGKILL if
     * it has not exited within {@link #STOP_TIMEOUT}, and waits for the process either way.
     */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(final Duration within) {
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

    private static void format(final String classPath, final Path properties, final Path log) {
        final List<String> command = java(classPath, "-Xmx256m", "-XX:TieredStopAtLevel=1");
        command.addAll(List.of("kafka.tools.StorageTool", "format", "--cluster-id", Uuid.randomUuid().toString(),
                "--config", properties.toString()));
        final Process process = launch(command, log);
        try {
            if (!process.waitFor(FORMAT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("Formatting the broker's storage took longer than " + FORMAT_TIMEOUT
                        + "; see " + log);
            }
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting the broker's storage", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("kafka.tools.StorageTool format failed with code " + process.exitValue()
                    + ":\n" + tail(log, 20));
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
