package dev.streamrec.it.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry 2.4.2 (Quarkus runner built by integration-tests/apicurio-registry) in a JVM of
 * its own: its Quarkus, Jackson and Kafka jars would clash with ours on the test classpath. Storage
 * is in memory, so every test run starts from an empty registry. Output goes to a log file under
 * target/ so a failed start or a surprising HTTP answer can be diagnosed after the run.
 */
final class ApicurioRegistryProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApicurioRegistryProcess.class);

    /** Confluent's API is served under this path; the root serves Apicurio's own API. */
    static final String CCOMPAT_PATH = "/apis/ccompat/v7";

    static final String BUILD_COMMAND =
            "mvn -B -s .ci/maven-central-only.xml -f integration-tests/apicurio-registry/pom.xml package";

    /** Quarkus prints the bound address once the HTTP server accepts connections. */
    private static final Pattern LISTENING = Pattern.compile("Listening on: (http://[0-9.]+:[0-9]+)");

    private final Process process;
    private final Thread shutdownHook;
    private final String baseUrl;

    private ApicurioRegistryProcess(final Process process, final Thread shutdownHook, final String baseUrl) {
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.baseUrl = baseUrl;
    }

    static ApicurioRegistryProcess start(final Path runnerJar, final Path logFile, final Duration timeout)
            throws IOException {
        if (!Files.isRegularFile(runnerJar)) {
            throw new IllegalStateException("Apicurio Registry runner not found at " + runnerJar
                    + ". `mvn verify` in integration-tests builds it before the ITs; by hand, from the"
                    + " repository root: " + BUILD_COMMAND);
        }
        final long started = System.nanoTime();
        Files.createDirectories(logFile.getParent());
        final List<String> command = new ArrayList<>(List.of(
                javaExecutable(),
                // It serves a few hundred small requests per run on a 2-core machine shared with
                // the broker and the tests: a small heap and C1 only keep its CPU and memory
                // footprint low, and C1 alone also starts faster.
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                // Port 0: a free port chosen by the OS, so parallel runs never collide; read back
                // from the log below. Loopback only: nothing outside this machine needs it.
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=0",
                "-Dquarkus.log.console.color=false",
                "-jar", runnerJar.toString()));
        final Process process = new ProcessBuilder(command)
                .directory(logFile.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        // If the test JVM dies (timeout kill, Ctrl-C) before the session listener runs, the
        // registry must not linger and hold memory on the CI machine.
        final Thread hook = new Thread(process::destroyForcibly, "apicurio-registry-reaper");
        Runtime.getRuntime().addShutdownHook(hook);

        try {
            final String base = awaitListening(process, logFile, timeout);
            awaitApiReady(base + CCOMPAT_PATH, process, logFile, timeout);
            final Duration took = Duration.ofNanos(System.nanoTime() - started);
            LOG.info("Apicurio Registry ready at {} in {} ms (log: {})", base, took.toMillis(), logFile);
            StartupTimes.record("schema-registry (Apicurio process)", took);
            return new ApicurioRegistryProcess(process, hook, base);
        } catch (final RuntimeException | Error e) {
            stop(process);
            removeHook(hook);
            throw e;
        }
    }

    /** The value for {@code schema.registry.url}. */
    String ccompatUrl() {
        return baseUrl + CCOMPAT_PATH;
    }

    @Override
    public void close() {
        stop(process);
        removeHook(shutdownHook);
    }

    private static String awaitListening(final Process process, final Path logFile, final Duration timeout) {
        final String[] found = new String[1];
        Await.until(timeout, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with code " + process.exitValue()
                        + " before listening. Last lines of " + logFile + ":\n" + tail(logFile));
            }
            final Matcher m = LISTENING.matcher(read(logFile));
            if (m.find()) {
                found[0] = m.group(1);
                return true;
            }
            return false;
        }, () -> "Apicurio Registry to print 'Listening on:'. Last lines of " + logFile + ":\n" + tail(logFile));
        return found[0];
    }

    /** Listening is not the same as serving: wait until the Confluent API answers a real call. */
    private static void awaitApiReady(final String ccompatUrl, final Process process, final Path logFile,
                                      final Duration timeout) {
        final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final HttpRequest request = HttpRequest.newBuilder(URI.create(ccompatUrl + "/subjects"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        final int[] lastStatus = {-1};
        Await.until(timeout, () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with code " + process.exitValue()
                        + ". Last lines of " + logFile + ":\n" + tail(logFile));
            }
            try {
                lastStatus[0] = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                return lastStatus[0] == 200;
            } catch (final IOException e) {
                return false;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the registry", e);
            }
        }, () -> "GET " + ccompatUrl + "/subjects to answer 200 (last status " + lastStatus[0] + ")");
    }

    private static void stop(final Process process) {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                LOG.warn("Apicurio Registry did not stop within 15 s; killing it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (final InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(final Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException alreadyShuttingDown) {
            // The JVM is exiting and the hook is about to run: nothing left to undo.
        }
    }

    /** The registry may run on another JDK than the tests (it.apicurio.java); default: ours. */
    private static String javaExecutable() {
        final String configured = System.getProperty("it.apicurio.java", "");
        if (!configured.isBlank()) {
            return configured;
        }
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String read(final Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (final IOException e) {
            return "";
        }
    }

    private static String tail(final Path file) {
        final String[] lines = read(file).split("\n");
        final int from = Math.max(0, lines.length - 40);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
    }
}
