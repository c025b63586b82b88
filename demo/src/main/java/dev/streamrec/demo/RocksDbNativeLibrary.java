package dev.streamrec.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.NativeLibraryLoader;
import org.rocksdb.RocksDB;

/**
 * Loads RocksDB's JNI library (about 15 MB, extracted from the rocksdbjni jar) into the run
 * directory instead of {@code java.io.tmpdir}.
 *
 * <p>Left alone, the first store Kafka Streams opens calls {@link RocksDB#loadLibrary()}, which
 * extracts the library with {@code File.createTempFile("librocksdbjni", ".so")} and deletes it
 * with {@code deleteOnExit}: a launcher killed with SIGKILL leaves one more copy in the system
 * temp directory each time. RocksDB reads another directory only from the environment variable
 * {@code ROCKSDB_SHAREDLIB_DIR}, which a running JVM cannot set for itself. Setting
 * {@code java.io.tmpdir} at run time is no answer either: {@code File.createTempFile} reads it
 * once, on its first use anywhere in the JVM, and it would move every library's temp files. So
 * this asks RocksDB's own {@link NativeLibraryLoader} to extract and load the library from the
 * given directory before any store is opened; RocksDB's later {@code loadLibrary()} finds it
 * loaded and extracts nothing. In the run directory, the copy goes when the directory goes:
 * at exit, or, after a SIGKILL, when the next run deletes abandoned run directories.
 */
final class RocksDbNativeLibrary {
    static final String SHAREDLIB_DIR_VARIABLE = "ROCKSDB_SHAREDLIB_DIR";

    private RocksDbNativeLibrary() {
    }

    /**
     * Extracts and loads the library in {@code directory}, unless the user chose a directory with
     * {@value #SHAREDLIB_DIR_VARIABLE} (RocksDB then extracts it there itself). Must run
     * before anything in this JVM touches RocksDB; later calls change nothing.
     */
    static void loadFrom(final Path directory) {
        final String chosen = System.getenv(SHAREDLIB_DIR_VARIABLE);
        try {
            if (chosen == null || chosen.isEmpty()) {
                Files.createDirectories(directory);
                NativeLibraryLoader.getInstance().loadLibrary(directory.toString());
            }
            // Marks the library loaded in RocksDB's own bookkeeping now, so a problem shows here
            // with this context rather than in a stream thread.
            RocksDB.loadLibrary();
        } catch (final IOException e) {
            throw new UncheckedIOException("Could not extract RocksDB's native library into " + directory, e);
        }
    }
}
