package dev.streamrec.updater.model;

import java.util.Arrays;

/**
 * A user's learned parameters: factor vector p_u and rating bias b_u. Mutable on purpose: the
 * user stage owns them and the SGD step updates them in place, which keeps a step free of
 * allocation apart from the copy of p_u it must send to the item stage.
 */
public final class UserParameters {
    private final float[] factors;
    private float bias;

    public UserParameters(final float[] factors, final float bias) {
        this.factors = factors;
        this.bias = bias;
    }

    /** A new user: deterministic small random factors from the id, zero bias. */
    public static UserParameters initial(final String userId, final Hyperparameters hyperparameters) {
        return new UserParameters(InitialFactors.initialUserFactors(userId, hyperparameters), 0f);
    }

    /** p_u, live (not a copy); length {@link Hyperparameters#dimensions()}. */
    public float[] factors() {
        return factors;
    }

    public float bias() {
        return bias;
    }

    void bias(final float value) {
        bias = value;
    }

    public UserParameters copy() {
        return new UserParameters(factors.clone(), bias);
    }

    @Override
    public String toString() {
        return "UserParameters[bias=" + bias + ", factors=" + Arrays.toString(factors) + "]";
    }
}
