package dev.streamrec.updater.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;

/**
 * Layered configuration, resolved once at start: defaults in code, overridden by a properties file,
 * overridden by environment variables. An environment variable names a key upper-cased with dots
 * and dashes turned into underscores and a prefix: {@code STREAMREC_EVENTS_DEDUPE_WINDOW_MS} sets
 * {@code events.dedupe.window.ms}. Typed getters validate and throw {@link ConfigException} naming
 * the key, so a bad value stops the start with a message a person can act on.
 */
public final class Settings {
    /** Prefix of environment variables that override keys. */
    public static final String ENV_PREFIX = "STREAMREC_";

    private final Map<String, String> values;

    private Settings(final Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** Settings from explicit values only (tests). */
    public static Settings of(final Map<String, String> values) {
        return new Settings(values);
    }

    /**
     * Defaults, then {@code file} if non-null, then {@code environment} entries that start with
     * {@link #ENV_PREFIX} and match a known key (a key present in the defaults or the file).
     */
    public static Settings load(final Map<String, String> defaults, final Path file, final Map<String, String> environment) {
        final Map<String, String> merged = new HashMap<>(defaults);
        if (file != null) {
            final Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (final IOException e) {
                throw new ConfigException("config file", file.toString(), "cannot be read: " + e.getMessage());
            }
            properties.stringPropertyNames().forEach(k -> merged.put(k, properties.getProperty(k).trim()));
        }
        final Map<String, String> byEnvName = new HashMap<>();
        merged.keySet().forEach(k -> byEnvName.put(envName(k), k));
        environment.forEach((name, value) -> {
            final String key = byEnvName.get(name);
            if (key != null) {
                merged.put(key, value.trim());
            }
        });
        return new Settings(merged);
    }

    /** The environment variable that overrides {@code key}. */
    public static String envName(final String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** A copy with {@code key} set (tests and launchers). */
    public Settings with(final String key, final String value) {
        final Map<String, String> copy = new HashMap<>(values);
        copy.put(key, value);
        return new Settings(copy);
    }

    public Map<String, String> asMap() {
        return values;
    }

    /** Entries whose key starts with {@code prefix}, with the prefix removed (pass-through client settings). */
    public Map<String, Object> withPrefix(final String prefix) {
        final Map<String, Object> out = new HashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    public String string(final String key) {
        final String value = values.get(key);
        if (value == null || value.isBlank()) {
            throw new ConfigException(key, value, "is required");
        }
        return value;
    }

    public String stringOrNull(final String key) {
        final String value = values.get(key);
        return value == null || value.isBlank() ? null : value;
    }

    public long longValue(final String key, final long min, final long max) {
        final String text = string(key);
        final long value;
        try {
            value = Long.parseLong(text);
        } catch (final NumberFormatException e) {
            throw new ConfigException(key, text, "must be a whole number");
        }
        if (value < min || value > max) {
            throw new ConfigException(key, text, "must be between " + min + " and " + max);
        }
        return value;
    }

    public int intValue(final String key, final int min, final int max) {
        return (int) longValue(key, min, max);
    }

    public double doubleValue(final String key, final double min, final double max) {
        final String text = string(key);
        final double value;
        try {
            value = Double.parseDouble(text);
        } catch (final NumberFormatException e) {
            throw new ConfigException(key, text, "must be a number");
        }
        if (!Double.isFinite(value) || value < min || value > max) {
            throw new ConfigException(key, text, "must be a finite number between " + min + " and " + max);
        }
        return value;
    }

    public boolean bool(final String key) {
        final String text = string(key);
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new ConfigException(key, text, "must be true or false");
        }
        return Boolean.parseBoolean(text);
    }

    public <E extends Enum<E>> E enumValue(final String key, final Class<E> type) {
        final String text = string(key);
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (final IllegalArgumentException e) {
            throw new ConfigException(key, text, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}
