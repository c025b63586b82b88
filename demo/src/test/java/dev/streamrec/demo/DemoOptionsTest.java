package dev.streamrec.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoOptionsTest {

    @Test
    void defaultsRunTheSyntheticGeneratorOnPort8080UntilStopped() {
        final DemoOptions options = DemoOptions.parse();
        assertThat(options.httpPort()).isEqualTo(8080);
        assertThat(options.dataset()).isNull();
        assertThat(options.bounded()).isFalse();
        assertThat(options.keep()).isFalse();
    }

    @Test
    void acceptsBothSpellingsFlagsAndALeadingDoubleDash(@TempDir final Path dir) throws Exception {
        final Path data = Files.writeString(dir.resolve("u.data"), "1\t2\t5\t100\n");
        final DemoOptions options = DemoOptions.parse("--", "--rate=12.5", "--duration", "30", "--keep",
                "--dataset", data.toString(), "--http-port", "0");
        assertThat(options.rate()).isEqualTo(12.5);
        assertThat(options.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.keep()).isTrue();
        assertThat(options.dataset()).isEqualTo(data);
        assertThat(options.httpPort()).isZero();
    }

    @Test
    void badValuesNameTheOption() {
        assertThatThrownBy(() -> DemoOptions.parse("--rate", "fast"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--rate");
        assertThatThrownBy(() -> DemoOptions.parse("--http-port", "70000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--http-port");
        assertThatThrownBy(() -> DemoOptions.parse("--users", "0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--users");
    }

    @Test
    void unknownOptionsMissingValuesAndMissingFilesAreRefused() {
        assertThatThrownBy(() -> DemoOptions.parse("--speed", "3"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--speed");
        assertThatThrownBy(() -> DemoOptions.parse("--rate"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--rate").hasMessageContaining("needs a value");
        assertThatThrownBy(() -> DemoOptions.parse("--dataset", "/no/such/u.data"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--dataset");
    }

    @Test
    void helpIsRecognisedBeforeParsing() {
        assertThat(DemoOptions.wantsHelp(new String[] {"--rate", "5", "--help"})).isTrue();
        assertThat(DemoOptions.wantsHelp(new String[] {"--rate", "5"})).isFalse();
    }

    @Test
    void anUnknownOptionIsNamedPlainly() {
        assertThatThrownBy(() -> DemoOptions.parse("--bogus"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("--bogus is not an option of the demo (see --help)");
    }

    @Test
    void aDirectoryIsNotADataset(@TempDir final Path dir) {
        assertThatThrownBy(() -> DemoOptions.parse("--dataset", dir.toString()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--dataset").hasMessageContaining("readable file");
    }

    @Test
    void aMalformedDatasetIsRefusedBeforeAnythingStartsNamingOptionAndLine(@TempDir final Path dir) throws Exception {
        final Path data = Files.writeString(dir.resolve("u.data"), "1\t2\t5\t100\n1\t3\tfive\t101\n");
        final DemoOptions options = DemoOptions.parse("--dataset", data.toString());
        assertThatThrownBy(() -> Demo.eventSource(options))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--dataset").hasMessageContaining(data.toString()).hasMessageContaining("line 2");
    }

    @Test
    void theSyntheticSourceNeedsNoFile() {
        assertThat(Demo.eventSource(DemoOptions.parse("--users", "3", "--items", "4")).describe())
                .startsWith("synthetic, 3 users");
    }
}
