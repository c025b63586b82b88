package dev.streamrec.updater;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.updater.config.UpdaterConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The topology's shape is a contract with running deployments (store, changelog and repartition
 * topic names). This compares {@code topology.describe()} with the checked-in snapshot; when a
 * change is intended, regenerate it with {@code -Dsnapshot.update=true} and review the diff.
 */
class TopologySnapshotTest {
    private static final Path SNAPSHOT = Path.of("src/test/resources/topology.snapshot.txt");

    @Test
    void topologyMatchesTheCheckedInSnapshot() throws IOException {
        final String actual = ProfileUpdaterTopology.build(UpdaterConfig.of(Map.of("schema.registry.url", "mock://snapshot")))
                .describe().toString().strip() + "\n";
        if (Boolean.getBoolean("snapshot.update")) {
            Files.writeString(SNAPSHOT, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(Files.readString(SNAPSHOT, StandardCharsets.UTF_8));
        assertThat(actual).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
    }
}
