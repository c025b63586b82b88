package dev.streamrec.it.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Appends how long the broker and the registry took to start to {@code <it.work.dir>/startup-times.txt},
 * which {@code .ci/run} prints in its summary: slow starts are the first thing to look at when CI
 * time creeps up, and test output files are too long to read for that.
 */
final class StartupTimes {

    /** The first record of a run replaces the file: a rerun without `mvn clean` must not mix runs. */
    private static boolean firstOfRun = true;

    private StartupTimes() {
    }

    static synchronized void record(final String what, final Duration took) {
        final Path file = ItEnvironment.workDir().resolve("startup-times.txt");
        final String line = String.format("%-40s %6d ms%n", what, took.toMillis());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    firstOfRun ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
            firstOfRun = false;
        } catch (final IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }
}
