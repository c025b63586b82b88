package dev.streamrec.it.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamrec.it.infra.Await;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's first command, end to end: {@code java -jar demo/target/demo.jar} (the jar the demo
 * module packages, with its manifest class path and the broker JVM it starts) runs briefly at a low
 * rate on a free port; recommendations come out, the status line shows model figures, the HTTP API
 * answers for a user it printed, and SIGTERM (what Ctrl-C does: the same shutdown hook) stops
 * everything: no broker process, no run directory, the HTTP port free again.
 */
@Tag("integration")
// Above the sum of the waits below (100 + 30 + 30 + 60 + 60 s), so a slow but correct run fails
// on the wait that names what it waited for, not on this.
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class DemoIT {
    /** Broker JVM, two Kafka Streams apps and a first personalised list, on a loaded 2-core machine. */
    private static final Duration FIRST_RECOMMENDATIONS = Duration.ofSeconds(100);
    private static final Duration STOP = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void oneCommandRunsTheSystemAndStoppingItLeavesNothingBehind() throws Exception {
        final Path jar = demoJar();
        final Path work = Files.createDirectories(Path.of(System.getProperty("it.work.dir", "target/it-work")));
        // The demo's run directory goes here, so the test can check it is gone afterwards.
        final Path tmp = Files.createTempDirectory(work, "demo-tmp-");
        final int port = freePort();
        final Process demo = new ProcessBuilder(javaExecutable(), "-Djava.io.tmpdir=" + tmp, "-jar", jar.toString(),
                "--http-port", String.valueOf(port), "--rate", "20", "--users", "60", "--items", "40",
                "--categories", "4",
                // A bound of its own: if this test JVM dies, the demo still stops.
                "--duration", "170")
                .redirectErrorStream(true).start();
        final DemoConsole console = new DemoConsole(demo.getInputStream(), tmp.resolve("demo-console.txt"));
        long brokerPid = -1;
        boolean stoppedPrinted;
        boolean brokerGoneAtStop;
        try {
            Await.until(FIRST_RECOMMENDATIONS, () -> !demo.isAlive() || console.recommendationsOut() > 0
                            && console.recommendationsCurl().isPresent(),
                    () -> "recommendations and the curl examples; console:" + console.tail());
            assertThat(demo.isAlive()).as("demo still running; console:%s", console.tail()).isTrue();
            brokerPid = console.brokerPid().orElseThrow(() -> new AssertionError("no broker pid printed" + console.tail()));
            assertThat(ProcessHandle.of(brokerPid).map(ProcessHandle::isAlive)).as("broker process").contains(true);
            assertThat(ProcessHandle.of(brokerPid).flatMap(p -> p.parent()).map(ProcessHandle::pid))
                    .as("the broker is the demo's own child JVM").contains(demo.pid());

            final String[] curl = console.recommendationsCurl().orElseThrow();
            assertThat(curl[0]).isEqualTo("http://localhost:" + port);
            final AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
            Await.until(Duration.ofSeconds(30), () -> {
                last.set(get(curl[0] + "/users/" + curl[1] + "/recommendations"));
                return last.get() != null && last.get().statusCode() == 200;
            }, () -> "200 from /users/" + curl[1] + "/recommendations, last: " + describe(last.get()));
            final JsonNode recommendations = JSON.readTree(last.get().body());
            assertThat(recommendations.path("userId").asText()).isEqualTo(curl[1]);
            assertThat(recommendations.path("items").size()).as(last.get().body()).isPositive();
            assertThat(recommendations.path("items").get(0).path("itemId").asText()).isNotBlank();
            assertThat(get(curl[0] + "/health/ready")).extracting(HttpResponse::statusCode).isEqualTo(200);

            // The model-quality figures come from model.metrics, the latency from the lists' trigger times.
            Await.until(Duration.ofSeconds(30), () -> console.lastStatus().matches(
                            ".*p99 event->rec \\d+ ms \\| recall@10 [0-9.]+ \\(n=\\d+\\) \\| RMSE [0-9.]+ \\(n=\\d+\\).*"),
                    () -> "a status line with latency, recall@10 and RMSE; last: " + console.lastStatus());
            assertThat(console.lastStatus()).contains("dead-lettered 0");
            // The console is for the status line; the applications' logs belong in demo.log.
            assertThat(console.logLines()).as("log lines on the console").isEmpty();
        } finally {
            // SIGTERM through the handle: Process.destroy() would also close our end of its output
            // and lose the last lines.
            demo.toHandle().destroy();
            Await.until(STOP, () -> console.printed("stopped.") || !demo.isAlive(),
                    () -> "the demo to stop; console:" + console.tail());
            stoppedPrinted = console.printed("stopped.");
            // The launcher prints "stopped." after waiting for the broker's exit, so the broker
            // must be gone now: checked before the launcher exits, this is the launcher's own
            // doing, not the broker's watchdog reacting to the launcher's death.
            brokerGoneAtStop = brokerPid > 0 && ProcessHandle.of(brokerPid).map(p -> !p.isAlive()).orElse(true);
            if (!demo.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
            console.awaitEnd(5_000);
        }

        assertThat(stoppedPrinted).as("clean stop; console:%s", console.tail()).isTrue();
        assertThat(brokerGoneAtStop).as("broker pid %d gone when the demo said stopped", brokerPid).isTrue();
        try (Stream<Path> left = Files.list(tmp)) {
            final List<Path> runDirectories = left.filter(p -> p.getFileName().toString().startsWith("streamrec-demo-"))
                    .toList();
            assertThat(runDirectories).as("run directories left behind").isEmpty();
        }
        assertThat(portFree(port)).as("HTTP port %d released", port).isTrue();
    }

    /** The jar the demo module packages; the root reactor builds the demo module before this one. */
    private static Path demoJar() {
        final Path jar = Path.of(System.getProperty("user.dir")).resolve("../demo/target/demo.jar").normalize();
        assertThat(jar).as("the demo jar; build it with: mvn -pl demo -am package -DskipTests").isRegularFile();
        return jar;
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static HttpResponse<String> get(final String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            return null;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String describe(final HttpResponse<String> response) {
        return response == null ? "no answer" : response.statusCode() + " " + response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean portFree(final int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (final IOException inUse) {
            return false;
        }
    }
}
