package dev.streamrec.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.it.infra.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo jar on the paths a first run meets when something goes wrong: a stop during start-up,
 * a launcher killed outright, a bad dataset, a busy port. Each leaves no broker JVM and no run
 * directory behind, and a bad command line is refused before anything starts.
 */
@Tag("integration")
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DemoAbnormalExitIT {
    private static final Duration STOP = Duration.ofSeconds(60);

    @Test
    void sigtermWhileTheBrokerStartsStopsItBeforeTheLauncherSaysStopped() throws Exception {
        final Path tmp = tmpDir();
        final Process demo = demo(tmp, "--http-port", "0");
        final DemoConsole console = new DemoConsole(demo.getInputStream(), tmp.resolve("demo-console.txt"));
        final ProcessHandle[] broker = new ProcessHandle[1];
        try {
            Await.until(Duration.ofSeconds(60), () -> (broker[0] = brokerOf(demo).orElse(null)) != null
                    || !demo.isAlive(), () -> "the broker JVM to be launched; console:" + console.tail());
            assertThat(broker[0]).as("broker JVM; console:%s", console.tail()).isNotNull();
            // Mid-start: the broker JVM runs but does not answer yet.
            Thread.sleep(1000);
            demo.toHandle().destroy();
            Await.until(STOP, () -> console.printed("stopped.") || !demo.isAlive(),
                    () -> "the demo to stop; console:" + console.tail());
            assertThat(console.printed("stopped.")).as("clean stop; console:%s", console.tail()).isTrue();
            assertThat(broker[0].isAlive()).as("broker JVM %d alive when the demo said stopped", broker[0].pid())
                    .isFalse();
            assertThat(console.printed("could not start")).as("a requested stop is no start failure").isFalse();
        } finally {
            stop(demo, console);
        }
        // An orphaned broker would write into the deleted run directory again: give it the time.
        Thread.sleep(2000);
        assertThat(runDirectories(tmp)).as("run directories left behind").isEmpty();
    }

    @Test
    void aKilledLauncherTakesItsBrokerAlongAndTheNextInvocationCleansUp() throws Exception {
        final Path tmp = tmpDir();
        final Process demo = demo(tmp, "--http-port", "0", "--rate", "5");
        final DemoConsole console = new DemoConsole(demo.getInputStream(), tmp.resolve("demo-console.txt"));
        final long brokerPid;
        try {
            Await.until(Duration.ofSeconds(120), () -> console.brokerPid().isPresent() || !demo.isAlive(),
                    () -> "the broker to be ready; console:" + console.tail());
            brokerPid = console.brokerPid().orElseThrow(() -> new AssertionError("no broker pid" + console.tail()));
            // Killed once Kafka Streams has opened its stores: RocksDB's native library (~15 MB) is
            // extracted then, and only a JVM that exits normally deletes it again.
            Await.until(Duration.ofSeconds(120), () -> rocksDbLibraryExtracted(tmp) || !demo.isAlive(),
                    () -> "RocksDB's native library to be extracted under " + tmp + "; console:" + console.tail());
            assertThat(demo.isAlive()).as("demo still running; console:%s", console.tail()).isTrue();
            demo.toHandle().destroyForcibly();
            demo.waitFor(30, TimeUnit.SECONDS);
        } finally {
            stop(demo, console);
        }
        Await.until(Duration.ofSeconds(30), () -> ProcessHandle.of(brokerPid).map(p -> !p.isAlive()).orElse(true),
                () -> "broker JVM " + brokerPid + " to stop after its launcher was killed");
        assertThat(runDirectories(tmp)).as("SIGKILL leaves the run directory").hasSize(1);
        final Path killedRun = runDirectories(tmp).get(0);
        // Inside the run directory, so that deleting the directory takes the library along.
        assertThat(rocksDbLibraries(tmp)).as("RocksDB's native library after the kill").isNotEmpty()
                .allMatch(library -> library.startsWith(killedRun), "inside the run directory " + killedRun);

        // Any later invocation that gets as far as making its own run directory removes it.
        final Process next = demo(tmp, "--no-such-option");
        final DemoConsole nextConsole = new DemoConsole(next.getInputStream(), tmp.resolve("next-console.txt"));
        assertThat(next.waitFor(60, TimeUnit.SECONDS)).isTrue();
        nextConsole.awaitEnd(5_000);
        assertThat(next.exitValue()).isEqualTo(2);
        assertThat(runDirectories(tmp)).as("run directories left behind").isEmpty();
        assertThat(rocksDbLibraries(tmp)).as("RocksDB native libraries left in the temp directory").isEmpty();
    }

    @Test
    void aMalformedDatasetIsABadOptionNamedWithItsLineAndNothingStarts() throws Exception {
        final Path tmp = tmpDir();
        final Path data = Files.writeString(tmp.resolve("u.data"), "1\t10\t4\t881250949\n1\t11\tfour\t881250950\n");
        final Process demo = demo(tmp, "--http-port", "0", "--dataset", data.toString());
        final DemoConsole console = new DemoConsole(demo.getInputStream(), tmp.resolve("demo-console.txt"));
        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("exits on its own").isTrue();
        console.awaitEnd(5_000);
        assertThat(demo.exitValue()).as("console:%s", console.tail()).isEqualTo(2);
        assertThat(console.printed("--dataset")).as("names the option; console:%s", console.tail()).isTrue();
        assertThat(console.printed("line 2")).as("names the line; console:%s", console.tail()).isTrue();
        assertThat(console.printed("starting Kafka broker")).as("nothing started").isFalse();
        assertThat(console.lines()).noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception in thread"));
        assertThat(runDirectories(tmp)).as("run directories left behind").isEmpty();
    }

    @Test
    void aBusyHttpPortIsNamedWithItsOption() throws Exception {
        final Path tmp = tmpDir();
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(0));
            final Process demo = demo(tmp, "--http-port", String.valueOf(busy.getLocalPort()));
            final DemoConsole console = new DemoConsole(demo.getInputStream(), tmp.resolve("demo-console.txt"));
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("exits on its own").isTrue();
            console.awaitEnd(5_000);
            assertThat(demo.exitValue()).isEqualTo(2);
            assertThat(console.printed("port " + busy.getLocalPort() + " (--http-port) is already in use"))
                    .as("console:%s", console.tail()).isTrue();
        }
        assertThat(runDirectories(tmp)).as("run directories left behind").isEmpty();
    }

    @Test
    void anHttpPortTakenDuringTheStartIsNamedAndNothingKeepsRunning() throws Exception {
        final Path tmp = tmpDir();
        final int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        final Process demo = demo(tmp, "--http-port", String.valueOf(port));
        final DemoConsole console = new DemoConsole(demo.getInputStream(), tmp.resolve("demo-console.txt"));
        final ProcessHandle[] broker = new ProcessHandle[1];
        try (ServerSocket thief = new ServerSocket()) {
            Await.until(Duration.ofSeconds(60), () -> (broker[0] = brokerOf(demo).orElse(null)) != null
                    || !demo.isAlive(), () -> "the broker JVM to be launched; console:" + console.tail());
            // After the demo's own check, before the recommender-service binds it.
            thief.bind(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port));
            assertThat(demo.waitFor(STOP.toSeconds() * 2, TimeUnit.SECONDS)).as("exits on its own").isTrue();
            console.awaitEnd(5_000);
        } finally {
            stop(demo, console);
        }
        assertThat(demo.exitValue()).as("console:%s", console.tail()).isEqualTo(2);
        assertThat(console.printed("port " + port + " (--http-port)")).as("console:%s", console.tail()).isTrue();
        assertThat(console.lines()).noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Exception in thread"));
        assertThat(broker[0]).isNotNull();
        assertThat(broker[0].isAlive()).as("broker JVM after a failed start").isFalse();
        // A failed start keeps its logs on purpose: one directory, no longer owned by a launcher.
        assertThat(runDirectories(tmp)).hasSize(1);
    }

    private static Process demo(final Path tmp, final String... options) throws IOException {
        final Path jar = Path.of(System.getProperty("user.dir")).resolve("../demo/target/demo.jar").normalize();
        assertThat(jar).as("the demo jar; build it with: mvn -pl demo -am package -DskipTests").isRegularFile();
        final List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-jar", jar.toString()));
        command.addAll(List.of(options));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static Path tmpDir() throws IOException {
        final Path work = Files.createDirectories(Path.of(System.getProperty("it.work.dir", "target/it-work")));
        return Files.createTempDirectory(work, "demo-abnormal-");
    }

    /** The demo's broker JVM (its main class is BrokerMain; the storage formatter's is not). */
    private static Optional<ProcessHandle> brokerOf(final Process demo) {
        return demo.children().filter(p -> p.info().arguments().map(List::of)
                .map(args -> args.stream().anyMatch(a -> a.endsWith("BrokerMain"))).orElse(false)).findFirst();
    }

    private static List<Path> runDirectories(final Path tmp) throws IOException {
        try (Stream<Path> left = Files.list(tmp)) {
            return left.filter(p -> p.getFileName().toString().startsWith("streamrec-demo-")).toList();
        }
    }

    /**
     * RocksDB's extracted native libraries ({@code librocksdbjni*}) in {@code tmp} (the demo's
     * {@code java.io.tmpdir}) or its run directories, at whatever depth the demo puts them.
     */
    private static List<Path> rocksDbLibraries(final Path tmp) throws IOException {
        try (Stream<Path> files = Files.walk(tmp, 4)) {
            return files.filter(p -> p.getFileName().toString().startsWith("librocksdbjni")).toList();
        } catch (final UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Whether a native library has been extracted yet; for polling while the demo writes files. */
    private static boolean rocksDbLibraryExtracted(final Path tmp) {
        try {
            return !rocksDbLibraries(tmp).isEmpty();
        } catch (final IOException e) {
            // The demo created or deleted a file during the walk: not seen this time, look again.
            return false;
        }
    }

    private static void stop(final Process demo, final DemoConsole console) throws InterruptedException {
        if (demo.isAlive()) {
            demo.toHandle().destroy();
            if (!demo.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
        console.awaitEnd(5_000);
    }
}
