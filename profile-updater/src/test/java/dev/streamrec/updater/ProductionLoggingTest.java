package dev.streamrec.updater;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The applications log through slf4j-simple, which without configuration writes no time on a
 * line: an operator could not tell when the updater fell back or when a thread was replaced. Each
 * application's jar carries a simplelogger.properties (this module's tests have their own, which
 * is why the files are read from the source tree, not the classpath); the recommender-service's is
 * checked here too, as that module's tests are not this change's to edit.
 */
class ProductionLoggingTest {

    @ParameterizedTest
    @ValueSource(strings = {"src/main/resources/simplelogger.properties",
            "../recommender-service/src/main/resources/simplelogger.properties"})
    void everyLineCarriesAnIsoTimestampWithItsOffset(final String file) throws IOException {
        final Properties logging = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            logging.load(in);
        }

        assertThat(logging.getProperty("org.slf4j.simpleLogger.showDateTime")).isEqualTo("true");
        final String stamp = new SimpleDateFormat(logging.getProperty("org.slf4j.simpleLogger.dateTimeFormat"))
                .format(new Date(1_700_000_000_123L));
        assertThat(OffsetDateTime.parse(stamp).toInstant().toEpochMilli()).isEqualTo(1_700_000_000_123L);
        // Kafka's clients and Streams keep INFO, as before: state changes and rebalances are what
        // an operator reads the log for. No per-logger level: it would override a lower default a
        // launcher sets by system property (the benchmark's -D...defaultLogLevel=error).
        assertThat(logging.getProperty("org.slf4j.simpleLogger.defaultLogLevel")).isEqualTo("info");
        assertThat(logging.stringPropertyNames()).noneMatch(key -> key.startsWith("org.slf4j.simpleLogger.log."));
    }
}
