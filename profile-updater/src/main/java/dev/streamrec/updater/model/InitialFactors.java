package dev.streamrec.updater.model;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic initial factor vectors, derived from the id alone, so that every instance (and
 * every restart) creates the same vector for a new user or item without coordinating.
 *
 * <p>Seed: 64-bit FNV-1a over the id's UTF-8 bytes (Fowler, Noll and Vo), mixed with a salt that
 * differs between users and items (user "42" and item "42" must not get the same vector) and
 * finalised with the SplitMix64 mixer. {@code String.hashCode} alone is avoided: it is 32 bits,
 * and short ids that differ in one character get nearby hashes. Entries: SplitMix64 stream
 * (Steele, Lea and Flood 2014, "Fast splittable pseudorandom number generators"), each mapped to
 * a uniform on [-√3 s, √3 s], i.e. standard deviation s = initialScale. The generator is written
 * out here rather than taken from {@code java.util.random} so that the vectors cannot change with
 * the JDK version.
 */
public final class InitialFactors {
    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private static final long USER_SALT = 0x5553455246414354L;  // "USERFACT"
    private static final long ITEM_SALT = 0x4954454d46414354L;  // "ITEMFACT"
    private static final double UNIT = 0x1.0p-53;
    private static final double SQRT_3 = Math.sqrt(3.0);

    private InitialFactors() {
    }

    public static float[] initialUserFactors(final String userId, final Hyperparameters hyperparameters) {
        return randomVector(stableHash(userId) ^ USER_SALT, hyperparameters);
    }

    public static float[] initialItemFactors(final String itemId, final Hyperparameters hyperparameters) {
        return randomVector(stableHash(itemId) ^ ITEM_SALT, hyperparameters);
    }

    /** 64-bit FNV-1a of the UTF-8 bytes, passed through the SplitMix64 finaliser. */
    public static long stableHash(final String id) {
        long hash = FNV_OFFSET_BASIS;
        for (final byte b : id.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return mix(hash);
    }

    private static float[] randomVector(final long seed, final Hyperparameters hyperparameters) {
        final float[] vector = new float[hyperparameters.dimensions()];
        final double halfWidth = SQRT_3 * hyperparameters.initialScale();
        long state = seed;
        for (int f = 0; f < vector.length; f++) {
            state += GOLDEN_GAMMA;
            final double uniform01 = (mix(state) >>> 11) * UNIT;
            vector[f] = (float) ((2.0 * uniform01 - 1.0) * halfWidth);
        }
        return vector;
    }

    /** SplitMix64's output function (Stafford's "Mix13" variant of the MurmurHash3 finaliser). */
    private static long mix(final long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
