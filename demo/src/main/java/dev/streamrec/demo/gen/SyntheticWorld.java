package dev.streamrec.demo.gen;

import dev.streamrec.schemas.Item;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Users with planted tastes and a catalog to match, so that what the online model learns can be
 * checked against a known truth. Every category has a centroid in a {@value #RANK}-dimensional
 * taste space; an item's latent vector lies near its category's centroid, a user's near the
 * centroid of one of two favourite categories. A user picks a category (a favourite most of the
 * time), then an item of it with probability rising with the affinity {@code p_u · q_i}; the
 * same affinity sets ratings. Standardised affinity has unit variance, so ratings spread over the
 * whole 1–5 scale.
 */
public final class SyntheticWorld {
    /** Dimension of the planted taste space (independent of the model's rank). */
    static final int RANK = 8;
    /** How often a user browses one of the two favourite categories rather than any category. */
    private static final double FAVOURITE_SHARE = 0.8;
    /** Softmax sharpness of the item choice within a category. */
    private static final double CHOICE_SHARPNESS = 1.5;
    /** Activity skew: user index = users * u^SKEW, so low indices are the heavy users. */
    private static final double ACTIVITY_SKEW = 1.6;

    private final List<WorldUser> users;
    private final List<WorldItem> items;
    private final List<List<WorldItem>> byCategory;

    /** An item as the world knows it: its planted vector and category. */
    public record WorldItem(String id, int category, double price, float[] factors) {
    }

    /** A user as the world knows it: favourite categories and planted vector. */
    public record WorldUser(String id, int favourite, int secondFavourite, float[] factors) {
    }

    /** What one user did to one item: the choice and how much the user likes it (standardised). */
    public record Choice(WorldUser user, WorldItem item, double affinity) {
    }

    private SyntheticWorld(final List<WorldUser> users, final List<WorldItem> items,
                           final List<List<WorldItem>> byCategory) {
        this.users = users;
        this.items = items;
        this.byCategory = byCategory;
    }

    /** A world built from {@code seed}: the same seed gives the same users, items and tastes. */
    public static SyntheticWorld create(final int userCount, final int itemCount, final int categories,
                                        final long seed) {
        final Random random = new Random(seed);
        final float[][] centroids = new float[categories][];
        for (int c = 0; c < categories; c++) {
            centroids[c] = gaussian(random, 1.0);
        }
        final List<List<WorldItem>> byCategory = new ArrayList<>();
        final double[] basePrice = new double[categories];
        for (int c = 0; c < categories; c++) {
            byCategory.add(new ArrayList<>());
            basePrice[c] = 5 + random.nextInt(95);
        }
        final List<WorldItem> items = new ArrayList<>(itemCount);
        for (int i = 0; i < itemCount; i++) {
            // Round-robin first, so every category has items even in a tiny catalog.
            final int category = i < categories ? i : random.nextInt(categories);
            final double price = Math.round(basePrice[category] * Math.exp(0.4 * random.nextGaussian()) * 100) / 100.0;
            final WorldItem item = new WorldItem("item-" + i, category, price,
                    blend(centroids[category], gaussian(random, 1.0)));
            items.add(item);
            byCategory.get(category).add(item);
        }
        final List<WorldUser> users = new ArrayList<>(userCount);
        for (int u = 0; u < userCount; u++) {
            final int favourite = random.nextInt(categories);
            final int second = categories == 1 ? favourite : (favourite + 1 + random.nextInt(categories - 1)) % categories;
            users.add(new WorldUser("user-" + u, favourite, second, blend(centroids[favourite], gaussian(random, 1.0))));
        }
        return new SyntheticWorld(List.copyOf(users), List.copyOf(items), List.copyOf(byCategory));
    }

    public List<WorldUser> users() {
        return users;
    }

    public List<WorldItem> items() {
        return items;
    }

    public String categoryName(final int category) {
        return "category-" + category;
    }

    /** The catalog records of every item. */
    public List<Item> catalog(final long nowMillis) {
        final List<Item> catalog = new ArrayList<>(items.size());
        for (final WorldItem item : items) {
            catalog.add(Item.newBuilder().setItemId(item.id())
                    .setTitle("Item " + item.id().substring("item-".length()) + " in " + categoryName(item.category()))
                    .setCategories(List.of(categoryName(item.category())))
                    .setPrice(item.price()).setActive(true).setUpdatedAt(Instant.ofEpochMilli(nowMillis)).build());
        }
        return catalog;
    }

    /** One user choosing one item, by the planted tastes. */
    public Choice next(final Random random) {
        final WorldUser user = users.get((int) (users.size() * Math.pow(random.nextDouble(), ACTIVITY_SKEW)));
        final double roll = random.nextDouble();
        int category;
        if (roll < FAVOURITE_SHARE * 0.65) {
            category = user.favourite();
        } else if (roll < FAVOURITE_SHARE) {
            category = user.secondFavourite();
        } else {
            category = random.nextInt(byCategory.size());
        }
        if (byCategory.get(category).isEmpty()) {
            category = items.get(random.nextInt(items.size())).category();
        }
        final List<WorldItem> candidates = byCategory.get(category);
        final double[] weights = new double[candidates.size()];
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.exp(CHOICE_SHARPNESS * affinity(user, candidates.get(i)));
            total += weights[i];
        }
        double pick = random.nextDouble() * total;
        int chosen = weights.length - 1;
        for (int i = 0; i < weights.length; i++) {
            pick -= weights[i];
            if (pick <= 0) {
                chosen = i;
                break;
            }
        }
        final WorldItem item = candidates.get(chosen);
        return new Choice(user, item, affinity(user, item));
    }

    /**
     * Standardised affinity. Every vector is (centroid + noise) / sqrt 2 with both parts' components
     * of variance 1/RANK, so its components have variance 1/RANK and the dot product of two
     * independent vectors has variance RANK * (1/RANK)^2 = 1/RANK: scaling by sqrt(RANK) gives unit
     * variance. A user and an item near the same centroid score about sqrt(RANK)/2 higher.
     */
    public static double affinity(final WorldUser user, final WorldItem item) {
        double dot = 0;
        for (int k = 0; k < RANK; k++) {
            dot += user.factors()[k] * item.factors()[k];
        }
        return dot * Math.sqrt(RANK);
    }

    private static float[] gaussian(final Random random, final double scale) {
        final float[] v = new float[RANK];
        for (int k = 0; k < RANK; k++) {
            v[k] = (float) (random.nextGaussian() * scale / Math.sqrt(RANK));
        }
        return v;
    }

    private static float[] blend(final float[] centroid, final float[] noise) {
        final float[] v = new float[RANK];
        for (int k = 0; k < RANK; k++) {
            v[k] = (float) ((centroid[k] + noise[k]) / Math.sqrt(2));
        }
        return v;
    }
}
