package dev.streamrec.service;

import dev.streamrec.service.config.ServiceConfig;
import java.nio.file.Path;

/**
 * Entry point: {@code java -cp ... dev.streamrec.service.ServiceMain [service.properties]}. Loads the
 * configuration (defaults, the optional file, then {@code STREAMREC_*} environment variables),
 * starts one instance and stops it cleanly on shutdown.
 */
public final class ServiceMain {
    private ServiceMain() {
    }

    public static void main(final String[] args) {
        final ServiceConfig config = ServiceConfig.load(args.length > 0 ? Path.of(args[0]) : null);
        final ServiceRuntime runtime = ServiceRuntime.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(runtime::close, "streamrec-service-shutdown"));
    }
}
