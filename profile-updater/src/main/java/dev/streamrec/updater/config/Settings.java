package dev.streamrec.updater.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layered configuration, resolved once at start: defaults in code, overridden by a properties file,
 * overridden by environment variables. An environment variable names a key upper-cased with dots
 * and dashes turned into underscores and a prefix: {@code STREAMREC_EVENTS_DEDUPE_WINDOW_MS} sets
 * {@code events.dedupe.window.ms}, and {@code STREAMREC_KAFKA_NUM_STREAM_THREADS} the pass-through
 * key {@code kafka.num.stream.threads}. A key the application does not know stops the start,
 * named, unless it is under a pass-through prefix ({@link #PASS_THROUGH_PREFIXES}). Typed getters
 * validate and throw {@link ConfigException} naming the key, so a bad value stops the start with a
 * message a person can act on.
 */
public final class Settings {
    /** Prefix of environment variables that override keys. */
    public static final String ENV_PREFIX = "STREAMREC_";

    /**
     * Prefixes of keys handed to a client without being read here: {@code kafka.} to Kafka Streams
     * (and, where they apply, its admin client), {@code serde.} to the Avro serdes. Any key under
     * them is accepted, from the file or from the environment.
     */
    public static final List<String> PASS_THROUGH_PREFIXES = List.of("kafka.", "serde.");

    private static final Logger LOG = LoggerFactory.getLogger(Settings.class);

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
     * {@link #ENV_PREFIX}, with {@link #PASS_THROUGH_PREFIXES}.
     *
     * @throws ConfigException naming every key of the file that is neither a default's key nor under
     *                         a pass-through prefix
     */
    public static Settings load(final Map<String, String> defaults, final Path file, final Map<String, String> environment) {
        return load(defaults, PASS_THROUGH_PREFIXES, file, environment);
    }

    /**
     * Defaults, then {@code file} if non-null, then {@code environment}. The known keys are those of
     * {@code defaults}; a key under one of {@code passThroughPrefixes} is handed on to a client
     * unread, so any such key is accepted. A file key that is neither stops the start, named: a
     * misspelt key would otherwise leave its default in force unnoticed. An environment variable
     * sets the key whose {@link #envName} it is (a known key, or a prefixed key of the file);
     * otherwise, if its name read back by the same rule (lower case, {@code _} as {@code .}) lies
     * under a pass-through prefix, that key ({@code STREAMREC_KAFKA_NUM_STREAM_THREADS} sets
     * {@code kafka.num.stream.threads}); otherwise it is logged and ignored, not refused, because
     * the environment is shared with whatever else runs there (Kubernetes injects
     * {@code <SERVICE>_PORT} variables for every service in the namespace, so a service named
     * {@code streamrec} would stop every instance).
     */
    public static Settings load(final Map<String, String> defaults, final List<String> passThroughPrefixes,
                                final Path file, final Map<String, String> environment) {
        final Map<String, String> merged = new HashMap<>(defaults);
        if (file != null) {
            final Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (final IOException e) {
                throw new ConfigException("config file", file.toString(), "cannot be read: " + e.getMessage());
            }
            requireKnown(properties.stringPropertyNames(), defaults.keySet(), passThroughPrefixes, "in " + file);
            properties.stringPropertyNames().forEach(k -> merged.put(k, properties.getProperty(k).trim()));
        }
        final Map<String, String> byEnvName = new HashMap<>();
        merged.keySet().forEach(k -> byEnvName.put(envName(k), k));
        final Set<String> ignored = new TreeSet<>();
        environment.forEach((name, value) -> {
            if (!name.startsWith(ENV_PREFIX)) {
                return;
            }
            final String key = byEnvName.containsKey(name) ? byEnvName.get(name) : keyOfEnvName(name);
            if (byEnvName.containsKey(name) || isPassThrough(key, passThroughPrefixes)) {
                merged.put(key, value.trim());
            } else {
                ignored.add(name);
            }
        });
        if (!ignored.isEmpty()) {
            LOG.warn("Ignoring environment variables {}: they name no configuration key and no key under {}",
                    ignored, passThroughPrefixes);
        }
        return new Settings(merged);
    }

    /**
     * Refuses {@code keys} that are neither in {@code known} nor under a pass-through prefix.
     *
     * @param where where the keys came from, for the message ("in /etc/updater.properties")
     * @throws ConfigException naming every unknown key
     */
    public static void requireKnown(final Collection<String> keys, final Set<String> known,
                                    final List<String> passThroughPrefixes, final String where) {
        final Set<String> unknown = new TreeSet<>();
        for (final String key : keys) {
            if (!known.contains(key) && !isPassThrough(key, passThroughPrefixes)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("Unknown configuration key" + (unknown.size() > 1 ? "s " : " ") + unknown + " " + where
                    + ": not a key of this application, nor under a pass-through prefix " + passThroughPrefixes);
        }
    }

    /**
     * Refuses a pass-through key that would set what one of the application's own keys sets:
     * {@code kafka.application.id} reached Kafka Streams after {@code application.id}, so the
     * application ran under one id while its own checks (internal topics, the state directory it
     * names in messages) looked at the other; the same for settings an own key of another name sets
     * ({@code rocksdb.block.cache.bytes} sets {@code streamrec.rocksdb.block.cache.bytes}).
     *
     * @param ownKeyBySetting the application's key that sets each client setting
     */
    public void requireNoPassThroughShadowing(final String prefix, final Map<String, String> ownKeyBySetting) {
        new TreeMap<>(ownKeyBySetting).forEach((setting, ownKey) -> {
            if (values.containsKey(prefix + setting)) {
                throw new ConfigException(prefix + setting, values.get(prefix + setting), "set " + ownKey + " instead: the "
                        + prefix + " pass-through must not override a setting the application has a key of its own for");
            }
        });
    }

    private static boolean isPassThrough(final String key, final List<String> prefixes) {
        return prefixes.stream().anyMatch(key::startsWith);
    }

    /** The key an environment variable names by the inverse of {@link #envName}, taking every {@code _} for a dot. */
    static String keyOfEnvName(final String name) {
        return name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
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
