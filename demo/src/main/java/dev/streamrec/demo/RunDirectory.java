package dev.streamrec.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The one directory a demo run writes to: broker data ({@code kafka/}), Kafka Streams state
 * ({@code state/}), logs ({@code logs/}) and RocksDB's extracted native library ({@code native/},
 * see {@link RocksDbNativeLibrary}). Fresh for every run, so a run never sees a previous
 * run's topics, offsets or stores; deleted at exit. A run killed too hard to clean up (SIGKILL)
 * leaves its directory behind with its launcher's pid in {@value #OWNER_FILE}: the next run
 * deletes directories whose owner is gone. A directory kept on purpose ({@code --keep}, or the
 * logs of a failed start) gives up its owner file, so a later run leaves it alone.
 */
public final class RunDirectory {
    static final String PREFIX = "streamrec-demo-";
    static final String OWNER_FILE = "launcher.pid";

    private final Path root;

    private RunDirectory(final Path root) {
        this.root = root;
    }

    /** Creates a fresh run directory under {@code parent}, after removing abandoned ones there. */
    public static RunDirectory create(final Path parent) {
        try {
            Files.createDirectories(parent);
            deleteAbandoned(parent);
            final Path root = Files.createTempDirectory(parent, PREFIX);
            Files.writeString(root.resolve(OWNER_FILE), String.valueOf(ProcessHandle.current().pid()),
                    StandardCharsets.US_ASCII);
            for (final String sub : new String[] {"kafka", "state/updater", "state/service", "logs", "native"}) {
                Files.createDirectories(root.resolve(sub));
            }
            return new RunDirectory(root);
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot create a run directory under " + parent, e);
        }
    }

    public Path root() {
        return root;
    }

    public Path kafkaData() {
        return root.resolve("kafka");
    }

    public Path updaterState() {
        return root.resolve("state/updater");
    }

    public Path serviceState() {
        return root.resolve("state/service");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    /** Where native libraries that would otherwise be extracted to the system temp directory go. */
    public Path nativeLibraries() {
        return root.resolve("native");
    }

    /**
     * Marks the directory as kept: without its owner file, no later run takes it for an abandoned
     * one and deletes it (which would lose the logs the user kept it for).
     */
    public void keep() {
        try {
            Files.deleteIfExists(root.resolve(OWNER_FILE));
        } catch (final IOException e) {
            System.err.println("demo: could not remove " + root.resolve(OWNER_FILE) + " (" + e.getMessage()
                    + "); the next run may delete " + root);
        }
    }

    /** Deletes the directory and everything in it; missing files are fine. */
    public void delete() {
        deleteTree(root);
    }

    static void deleteAbandoned(final Path parent) throws IOException {
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (final Path run : runs) {
                if (ownerGone(run)) {
                    deleteTree(run);
                }
            }
        }
    }

    private static boolean ownerGone(final Path run) {
        final Path owner = run.resolve(OWNER_FILE);
        try {
            final long pid = Long.parseLong(Files.readString(owner, StandardCharsets.US_ASCII).trim());
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (final IOException | NumberFormatException e) {
            // No readable owner: not ours to judge (or still being created); leave it.
            return false;
        }
    }

    /**
     * Deletes a tree, trying a few times: a Kafka Streams thread that outlived its close timeout
     * can still write a checkpoint file while the tree is being deleted.
     */
    private static void deleteTree(final Path root) {
        IOException last = null;
        for (int attempt = 0; attempt < 5 && Files.exists(root); attempt++) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (final Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(path);
                }
            } catch (final IOException | UncheckedIOException e) {
                last = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
                pause();
            }
        }
        if (Files.exists(root)) {
            System.err.println("demo: could not delete " + root + " completely"
                    + (last == null ? "" : ": " + last) + "; the next run removes it");
        }
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
