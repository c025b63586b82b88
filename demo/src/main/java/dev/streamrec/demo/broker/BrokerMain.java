package dev.streamrec.demo.broker;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Main class of the broker JVM: Apache Kafka's own {@code kafka.Kafka} with a watchdog in front.
 * The launcher stops the broker from its shutdown hook, but a launcher killed with SIGKILL runs no
 * hook; the watchdog then stops the broker within a second, so no orphan keeps the ports or the
 * data directory. Arguments: the launcher's pid, then {@code kafka.Kafka}'s own arguments.
 *
 * <p>Ctrl-C in a terminal sends SIGINT to the whole foreground process group, this JVM included.
 * The broker ignores it: stopping it before the Streams applications have closed would leave them
 * waiting for a broker that is gone. The launcher stops it last, with SIGTERM.
 */
public final class BrokerMain {
    private static final long WATCH_INTERVAL_MS = 500;

    private BrokerMain() {
    }

    public static void main(final String[] args) throws ReflectiveOperationException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: BrokerMain LAUNCHER_PID server.properties");
        }
        final Optional<ProcessHandle> launcher = ProcessHandle.of(Long.parseLong(args[0]));
        ignoreInterrupt();
        final Thread watchdog = new Thread(() -> watch(launcher), "launcher-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        // Reflection keeps the broker classes off the demo's compile path: only this JVM loads them.
        try {
            Class.forName("kafka.Kafka").getMethod("main", String[].class)
                    .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (final InvocationTargetException e) {
            throw new IllegalStateException("kafka.Kafka failed", e.getCause());
        }
    }

    /** sun.misc.Signal is the JDK's only way to ignore one signal; it draws a compiler warning. */
    private static void ignoreInterrupt() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> { });
        } catch (final IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            // No SIGINT on this platform (or no sun.misc.Signal): Ctrl-C then stops the broker at
            // once, and the applications' close waits for their timeouts. Slower, still correct.
            System.err.println("BrokerMain: cannot ignore SIGINT: " + e);
        }
    }

    private static void watch(final Optional<ProcessHandle> launcher) {
        while (launcher.map(ProcessHandle::isAlive).orElse(false)) {
            try {
                Thread.sleep(WATCH_INTERVAL_MS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.err.println("BrokerMain: the demo launcher is gone; stopping the broker");
        // exit runs kafka.Kafka's own shutdown hook, which stops the broker cleanly.
        System.exit(0);
    }
}
