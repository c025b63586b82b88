package dev.streamrec.service;

import dev.streamrec.service.config.ServiceConfig;
import dev.streamrec.updater.errors.ExitOnError;
import java.nio.file.Path;

/**
 * Entry point: {@code java -cp ... dev.streamrec.service.ServiceMain [service.properties]}. Loads the
 * configuration (defaults, the optional file, then {@code STREAMREC_*} environment variables),
 * starts one instance and stops it cleanly on shutdown; exits with status 1 if Kafka Streams stops
 * by itself (state {@code ERROR}).
 */
public final class ServiceMain {
    private ServiceMain() {
    }

    public static void main(final String[] args) throws InterruptedException {
        final ServiceConfig config = ServiceConfig.load(args.length > 0 ? Path.of(args[0]) : null);
        final ExitOnError lifecycle = new ExitOnError();
        final ServiceRuntime runtime = ServiceRuntime.start(config, lifecycle);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            lifecycle.stopped();
        }, "streamrec-service-shutdown"));
        // Liveness reports a failed Kafka Streams DOWN; a process nobody probes exits instead.
        final int status = lifecycle.awaitExitStatus();
        if (status != 0) {
            System.exit(status); // not from the listener: close() in the shutdown hook waits for its thread
        }
    }
}
