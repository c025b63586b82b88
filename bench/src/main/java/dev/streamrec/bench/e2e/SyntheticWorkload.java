package dev.streamrec.bench.e2e;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.PurchaseEvent;
import dev.streamrec.schemas.RatingEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded stream of clicks, purchases and ratings with planted tastes, so that the model has
 * something real to learn while the benchmark measures speed.
 *
 * <p>Planted structure: every item belongs to one of {@link #CATEGORIES} categories and has a
 * latent vector = its category's centroid + noise; every user has two favourite categories and a
 * latent vector between their centroids. An event picks a user uniformly (so every user sees about
 * events / users events and none looks like a bot to the anomaly detector), then a category (a
 * favourite with probability 0.8), then an item inside it, skewed towards the category's popular
 * items (rank ∝ u², a long tail). Ratings are 3 + 1.5 · cos(user, item) + noise, rounded to 1..5.
 * Mix: 70 % clicks, 10 % purchases, 20 % ratings. Ids: {@code u<n>}, {@code i<n>}, {@code e<n>}.
 */
final class SyntheticWorkload implements Workload {
    static final int CATEGORIES = 20;
    private static final int RANK = 8;

    private final int users;
    private final int items;
    private final SplittableRandom random;
    private final float[][] userVectors;
    private final int[][] userFavourites;
    private final float[][] itemVectors;
    private final List<List<Integer>> itemsByCategory = new ArrayList<>();
    private final int[] itemCategory;
    private long sequence;

    SyntheticWorkload(final int users, final int items, final long seed) {
        this.users = users;
        this.items = items;
        this.random = new SplittableRandom(seed);
        final float[][] centroids = new float[CATEGORIES][];
        for (int c = 0; c < CATEGORIES; c++) {
            centroids[c] = gaussian(1.0);
            itemsByCategory.add(new ArrayList<>());
        }
        itemVectors = new float[items][];
        itemCategory = new int[items];
        for (int i = 0; i < items; i++) {
            itemCategory[i] = random.nextInt(CATEGORIES);
            itemVectors[i] = plus(centroids[itemCategory[i]], gaussian(0.4));
            itemsByCategory.get(itemCategory[i]).add(i);
        }
        userVectors = new float[users][];
        userFavourites = new int[users][];
        for (int u = 0; u < users; u++) {
            final int first = random.nextInt(CATEGORIES);
            final int second = random.nextInt(CATEGORIES);
            userFavourites[u] = new int[] {first, second};
            userVectors[u] = plus(plus(centroids[first], centroids[second]), gaussian(0.3));
        }
    }

    /** The catalogue entry of every item, to publish on {@code catalog.items} before the events. */
    @Override
    public List<Item> catalog() {
        final List<Item> entries = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            entries.add(Item.newBuilder().setItemId(itemId(i)).setTitle("item " + i)
                    .setCategories(List.of("c" + itemCategory[i])).setPrice(1.0 + i % 50)
                    .setActive(true).setUpdatedAt(Instant.EPOCH).build());
        }
        return entries;
    }

    /** The next event, stamped with event time {@code nowMs}. */
    @Override
    public InputEvent next(final long nowMs) {
        final int user = random.nextInt(users);
        final int category = random.nextDouble() < 0.8 ? userFavourites[user][random.nextInt(2)] : random.nextInt(CATEGORIES);
        final List<Integer> pool = itemsByCategory.get(category);
        final double u = random.nextDouble();
        final int item = pool.get((int) (u * u * pool.size()));
        final String eventId = "e" + sequence++;
        final String userId = "u" + user;
        final Instant time = Instant.ofEpochMilli(nowMs);
        final double kind = random.nextDouble();
        if (kind < 0.7) {
            return new InputEvent(InputEvent.Kind.CLICK, userId, ClickEvent.newBuilder().setEventId(eventId)
                    .setUserId(userId).setItemId(itemId(item)).setEventTime(time).setSessionId(null).build());
        }
        if (kind < 0.8) {
            return new InputEvent(InputEvent.Kind.PURCHASE, userId, PurchaseEvent.newBuilder().setEventId(eventId)
                    .setUserId(userId).setItemId(itemId(item)).setEventTime(time).setQuantity(1)
                    .setUnitPrice(1.0 + item % 50).setCurrency("USD").build());
        }
        return new InputEvent(InputEvent.Kind.RATING, userId, RatingEvent.newBuilder().setEventId(eventId)
                .setUserId(userId).setItemId(itemId(item)).setEventTime(time).setRating(rating(user, item)).build());
    }

    private double rating(final int user, final int item) {
        final float[] p = userVectors[user];
        final float[] q = itemVectors[item];
        double dot = 0;
        double pp = 0;
        double qq = 0;
        for (int k = 0; k < RANK; k++) {
            dot += p[k] * q[k];
            pp += p[k] * p[k];
            qq += q[k] * q[k];
        }
        final double cosine = dot / Math.sqrt(pp * qq + 1e-12);
        return Math.max(1, Math.min(5, Math.rint(3 + 1.5 * cosine + 0.5 * gaussianValue())));
    }

    static String itemId(final int item) {
        return "i" + item;
    }

    private float[] gaussian(final double scale) {
        final float[] v = new float[RANK];
        for (int k = 0; k < RANK; k++) {
            v[k] = (float) (scale * gaussianValue());
        }
        return v;
    }

    private double gaussianValue() {
        // Box–Muller: SplittableRandom has no nextGaussian on Java 17.
        final double u1 = 1.0 - random.nextDouble();
        final double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static float[] plus(final float[] a, final float[] b) {
        final float[] sum = new float[a.length];
        for (int k = 0; k < a.length; k++) {
            sum[k] = a[k] + b[k];
        }
        return sum;
    }
}
