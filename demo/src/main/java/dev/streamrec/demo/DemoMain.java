package dev.streamrec.demo;

import dev.streamrec.demo.broker.FreePorts;
import dev.streamrec.demo.gen.EventSource;
import java.io.File;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.config.ConfigException;

/**
 * {@code java -jar demo/target/demo.jar [options]}: starts the demo (see {@link Demo}), prints a
 * status line a second, and stops everything on Ctrl-C (SIGINT or SIGTERM: the shutdown hook) or
 * after {@code --duration}. Exit codes: 0 after a clean run, 1 when the start failed, 2 for a bad
 * command line or a busy port.
 */
public final class DemoMain {
    private DemoMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        if (DemoOptions.wantsHelp(args)) {
            System.out.println(DemoOptions.USAGE);
            return;
        }
        // Logs go to the run directory, so it exists before anything logs: parsing the options
        // already does (Settings has a logger), and slf4j-simple fixes its output on first use.
        final RunDirectory runDirectory = RunDirectory.create(Path.of(System.getProperty("java.io.tmpdir")));
        routeLogsTo(runDirectory.logs().resolve("demo.log"));
        final DemoOptions options;
        final EventSource source;
        try {
            options = DemoOptions.parse(args);
            source = Demo.eventSource(options);
        } catch (final ConfigException e) {
            runDirectory.delete();
            System.err.println("demo: " + e.getMessage());
            System.err.println(DemoOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.httpPort() != 0 && !FreePorts.isFree(options.httpPort())) {
            runDirectory.delete();
            System.err.println("demo: port " + options.httpPort() + " (--http-port) is already in use. Stop what "
                    + "listens there, or pass --http-port N (0 picks any free port).");
            System.exit(2);
            return;
        }
        final int httpPort = options.httpPort() == 0 ? FreePorts.pick() : options.httpPort();
        System.exit(run(options, source, runDirectory, httpPort));
    }

    private static int run(final DemoOptions options, final EventSource source, final RunDirectory runDirectory,
                           final int httpPort) throws InterruptedException {
        final Demo demo = Demo.create(options, source, runDirectory, System.out);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stopped.countDown();
        }, "demo-shutdown"));
        try {
            demo.start(classPath(), httpPort);
        } catch (final CancellationException stopping) {
            // Ctrl-C during start-up: the hook is stopping what had started.
            stopped.await();
            return 0;
        } catch (final RuntimeException e) {
            System.err.println("demo: could not start: " + e.getMessage());
            System.err.println("demo: logs are kept in " + runDirectory.logs());
            demo.keepRunDirectory();
            demo.close();
            if (failedToBind(e)) {
                // Free when checked, taken while the broker started: say which option to change.
                System.err.println("demo: port " + httpPort + " (--http-port) was taken while the demo started. "
                        + "Pass another --http-port N (0 picks any free port).");
                return 2;
            }
            return 1;
        }
        System.out.println(options.bounded()
                ? "running for " + options.duration().toSeconds() + " s; Ctrl-C stops earlier"
                : "running; Ctrl-C stops everything");
        if (options.bounded()) {
            if (!stopped.await(options.duration().toMillis(), TimeUnit.MILLISECONDS)) {
                demo.close();
            }
        } else {
            stopped.await();
        }
        return 0;
    }

    /**
     * Whether the start failed binding a socket: the HTTP server's port, the only one the demo
     * binds itself in this JVM (Javalin wraps Jetty's bind failure, whose cause is the
     * {@link BindException}).
     */
    static boolean failedToBind(final Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The broker JVM's class path: this JVM's own. From {@code java -jar demo.jar} that is the jar,
     * whose manifest names every dependency in {@code lib/}; from a test or an IDE it is the full
     * list. Made absolute so the child does not depend on the working directory.
     */
    static String classPath() {
        final String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        final StringBuilder absolute = new StringBuilder();
        for (final String entry : entries) {
            if (!entry.isBlank()) {
                if (absolute.length() > 0) {
                    absolute.append(File.pathSeparatorChar);
                }
                absolute.append(Path.of(entry).toAbsolutePath());
            }
        }
        return absolute.toString();
    }

    /**
     * The console is for the status line; the applications' logs go to a file. slf4j-simple reads
     * these properties when the first logger is made, so this runs before anything logs.
     */
    private static void routeLogsTo(final Path file) {
        System.setProperty("org.slf4j.simpleLogger.logFile", file.toString());
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "warn");
    }
}
