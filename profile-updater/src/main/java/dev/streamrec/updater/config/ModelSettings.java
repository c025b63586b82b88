package dev.streamrec.updater.config;

import dev.streamrec.updater.model.FactorSharing;
import dev.streamrec.updater.model.Hyperparameters;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * Maps the model's {@link Hyperparameters} onto configuration keys, one per record component:
 * {@code factorLearningRate} is {@code model.factor.learning.rate}. Defaults are
 * {@link Hyperparameters#defaults()}; the record's own validation runs on the result, and its
 * message is re-raised as a {@link ConfigException} naming the key.
 */
public final class ModelSettings {
    private static final String PREFIX = "model.";

    private ModelSettings() {
    }

    /** The configuration key of a hyperparameter. */
    public static String key(final String component) {
        final StringBuilder key = new StringBuilder(PREFIX);
        for (final char c : component.toCharArray()) {
            if (Character.isUpperCase(c)) {
                key.append('.').append(Character.toLowerCase(c));
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    /** Every model key with its default value. */
    public static Map<String, String> defaults() {
        final Hyperparameters defaults = Hyperparameters.defaults();
        final Map<String, String> out = new LinkedHashMap<>();
        for (final RecordComponent component : Hyperparameters.class.getRecordComponents()) {
            try {
                out.put(key(component.getName()), String.valueOf(component.getAccessor().invoke(defaults)).toLowerCase(Locale.ROOT));
            } catch (final IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("Cannot read hyperparameter " + component.getName(), e);
            }
        }
        return out;
    }

    /**
     * Reads every hyperparameter from {@code settings} and validates them together.
     *
     * @throws ConfigException naming the key of a malformed or invalid value
     */
    public static Hyperparameters from(final Settings settings) {
        final RecordComponent[] components = Hyperparameters.class.getRecordComponents();
        final Object[] values = new Object[components.length];
        final Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            final String key = key(components[i].getName());
            final String text = settings.string(key);
            types[i] = components[i].getType();
            try {
                if (types[i] == int.class) {
                    values[i] = Integer.parseInt(text);
                } else if (types[i] == float.class) {
                    values[i] = Float.parseFloat(text);
                } else if (types[i] == FactorSharing.class) {
                    values[i] = FactorSharing.valueOf(text.toUpperCase(Locale.ROOT));
                } else {
                    throw new IllegalStateException("Unsupported hyperparameter type " + types[i] + " of " + key);
                }
            } catch (final IllegalArgumentException e) {
                throw new ConfigException(key, text, "is not a valid " + types[i].getSimpleName());
            }
        }
        try {
            return Hyperparameters.class.getDeclaredConstructor(types).newInstance(values);
        } catch (final InvocationTargetException e) {
            final String message = String.valueOf(e.getCause().getMessage());
            for (final RecordComponent component : components) {
                if (message.startsWith(component.getName() + " ")) {
                    throw new ConfigException(key(component.getName()), settings.string(key(component.getName())), message);
                }
            }
            throw new ConfigException("model.*", "", message);
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot construct Hyperparameters", e);
        }
    }
}
