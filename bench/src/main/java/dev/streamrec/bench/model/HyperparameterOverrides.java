package dev.streamrec.bench.model;

import dev.streamrec.updater.model.FactorSharing;
import dev.streamrec.updater.model.Hyperparameters;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Applies {@code name=value,name=value} to a {@link Hyperparameters.Builder}, by the builder's
 * method names, so a replay can be rerun with any single configuration from the search log.
 */
public final class HyperparameterOverrides {
    private HyperparameterOverrides() {
    }

    public static Hyperparameters apply(final Hyperparameters base, final String overrides) {
        final Hyperparameters.Builder builder = base.toBuilder();
        for (final String assignment : overrides.split(",")) {
            if (assignment.isBlank()) {
                continue;
            }
            final String[] parts = assignment.split("=", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("expected name=value, got '" + assignment + "'");
            }
            final String name = parts[0].strip();
            final String value = parts[1].strip();
            final Method setter = findSetter(name);
            final Class<?> type = setter.getParameterTypes()[0];
            final Object argument = type == int.class ? Integer.valueOf(value)
                    : type == float.class ? Float.valueOf(value)
                    : FactorSharing.valueOf(value);
            try {
                setter.invoke(builder, argument);
            } catch (final IllegalAccessException | InvocationTargetException e) {
                throw new IllegalArgumentException("cannot set " + name, e);
            }
        }
        return builder.build();
    }

    private static Method findSetter(final String name) {
        for (final Method method : Hyperparameters.Builder.class.getMethods()) {
            if (method.getName().equals(name) && method.getParameterCount() == 1) {
                return method;
            }
        }
        throw new IllegalArgumentException("no hyperparameter named " + name);
    }
}
