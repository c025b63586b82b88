package dev.streamrec.updater.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README's configuration tables are what an operator reads: the topic.* keys and most model.*
 * keys were missing from them, so a topic could be renamed or a hyperparameter set only by reading
 * the code. Every key the updater knows must be in a table row of README's Configuration section,
 * and where a row gives a default as a plain number, word or {@code `literal`}, it must be the code's.
 */
class ReadmeConfigurationTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Pattern BACKTICKED = Pattern.compile("`([^`]+)`");

    @Test
    void everyKeyOfTheUpdaterIsInAConfigurationTableWithTheCodesDefault() throws IOException {
        final Map<String, String> documentedDefaults = documentedDefaults(configurationSection());

        assertThat(new TreeSet<>(documentedDefaults.keySet())).as("keys in README's Configuration tables")
                .containsAll(new TreeSet<>(UpdaterConfig.DEFAULTS.keySet()));
        final Map<String, String> wrong = new TreeMap<>();
        documentedDefaults.forEach((key, documented) -> {
            if (!documented.isEmpty() && !sameValue(documented, UpdaterConfig.DEFAULTS.get(key))) {
                wrong.put(key, "README " + documented + ", code " + UpdaterConfig.DEFAULTS.get(key));
            }
        });
        assertThat(wrong).as("defaults README gives that differ from the code's").isEmpty();
    }

    private static String configurationSection() throws IOException {
        final String readme = Files.readString(README);
        final int start = readme.indexOf("\n## Configuration\n");
        assertThat(start).as("README has a Configuration section").isNotNegative();
        final int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    /**
     * The updater's keys named in the first cell of each table row, by the default the second cell
     * gives for them ("" where it gives none that can be compared, such as "7 days" or "tmp").
     * A key written {@code `.max`} after {@code `validation.rating.min`} is read as the known key
     * that ends so and shares the longest start with the one before it.
     */
    private static Map<String, String> documentedDefaults(final String section) {
        final Map<String, String> defaults = new TreeMap<>();
        for (final String line : section.split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            final String[] cells = line.split("\\|");
            final List<String> keys = keysOf(cells[1]);
            final String[] values = cells[2].strip().split(", | / ");
            for (int i = 0; i < keys.size(); i++) {
                if (UpdaterConfig.DEFAULTS.containsKey(keys.get(i))) {
                    defaults.put(keys.get(i), values.length == keys.size() ? comparable(values[i].strip()) : "");
                }
            }
        }
        return defaults;
    }

    private static List<String> keysOf(final String cell) {
        final List<String> keys = new ArrayList<>();
        String previous = null;
        final Matcher matcher = BACKTICKED.matcher(cell);
        while (matcher.find()) {
            final String token = matcher.group(1);
            final String key = token.startsWith(".") && previous != null ? resolve(previous, token) : token;
            keys.add(key);
            previous = key;
        }
        return keys;
    }

    private static String resolve(final String previous, final String suffix) {
        final String[] parts = previous.split("\\.");
        for (int kept = parts.length - 1; kept >= 1; kept--) {
            final String candidate = String.join(".", List.of(parts).subList(0, kept)) + suffix;
            if (UpdaterConfig.DEFAULTS.containsKey(candidate)) {
                return candidate;
            }
        }
        return suffix;
    }

    /** A default cell's value if it is a number, true/false or a single backticked literal; else "". */
    private static String comparable(final String value) {
        final Matcher literal = Pattern.compile("`([^`]*)`").matcher(value);
        if (literal.matches()) {
            return literal.group(1);
        }
        if (value.matches("-?[0-9]+(\\.[0-9]+)?|true|false")) {
            return value;
        }
        return "";
    }

    private static boolean sameValue(final String documented, final String code) {
        try {
            return Double.parseDouble(documented) == Double.parseDouble(code);
        } catch (final NumberFormatException notNumbers) {
            return documented.equalsIgnoreCase(code);
        }
    }

    @Test
    void abbreviatedKeysAreReadAsTheKeysTheyStandFor() {
        assertThat(keysOf("`validation.rating.min` / `.max` / `.step`"))
                .containsExactly("validation.rating.min", "validation.rating.max", "validation.rating.step");
        assertThat(keysOf("`profile.anomaly.burst.window.ms` / `.burst.max.events` / `.z.threshold`"))
                .containsExactly("profile.anomaly.burst.window.ms", "profile.anomaly.burst.max.events",
                        "profile.anomaly.z.threshold");
        assertThat(Set.copyOf(keysOf("`recommendations.size`, `.refresh.interval.ms`")))
                .containsExactlyInAnyOrder("recommendations.size", "recommendations.refresh.interval.ms");
    }
}
