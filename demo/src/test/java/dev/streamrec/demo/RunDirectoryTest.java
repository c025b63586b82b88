package dev.streamrec.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {

    @Test
    void aNewRunDeletesDirectoriesOfLaunchersThatAreGoneAndKeepsLiveOnes(@TempDir final Path parent) throws Exception {
        final Path abandoned = Files.createDirectories(parent.resolve(RunDirectory.PREFIX + "old"));
        Files.writeString(abandoned.resolve(RunDirectory.OWNER_FILE), String.valueOf(deadPid()));
        Files.createDirectories(abandoned.resolve("kafka/meta"));
        final Path live = Files.createDirectories(parent.resolve(RunDirectory.PREFIX + "live"));
        Files.writeString(live.resolve(RunDirectory.OWNER_FILE), String.valueOf(ProcessHandle.current().pid()));
        final Path unrelated = Files.createDirectories(parent.resolve("something-else"));

        final RunDirectory run = RunDirectory.create(parent);

        assertThat(abandoned).doesNotExist();
        assertThat(live).exists();
        assertThat(unrelated).exists();
        assertThat(run.kafkaData()).isDirectory();
        assertThat(run.logs()).isDirectory();
        run.delete();
        assertThat(run.root()).doesNotExist();
    }

    @Test
    void aKeptDirectoryOutlivesItsLauncherAndTheNextRun(@TempDir final Path parent) throws Exception {
        final RunDirectory kept = RunDirectory.create(parent);
        // As if written by a launcher that has exited since.
        Files.writeString(kept.root().resolve(RunDirectory.OWNER_FILE), String.valueOf(deadPid()));
        kept.keep();

        final RunDirectory next = RunDirectory.create(parent);

        assertThat(kept.logs()).isDirectory();
        next.delete();
    }

    /** The pid of a process that has exited. */
    private static long deadPid() throws Exception {
        final Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
