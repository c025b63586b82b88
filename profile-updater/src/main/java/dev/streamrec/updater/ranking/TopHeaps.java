package dev.streamrec.updater.ranking;

import java.util.Arrays;

/**
 * A bounded min-heap per user for top-N selection, all users' heaps packed into two primitive
 * arrays (no boxing, no per-candidate objects). The root of each heap is its <em>worst</em>
 * entry: lowest score, and among equal scores the highest row, so that the list kept is the
 * best N under "score descending, row ascending".
 *
 * <p>{@link #threshold} is what a candidate must beat strictly to be worth offering when rows
 * are visited in ascending order: negative infinity until the heap is full, then the root's
 * score. A candidate equal to the root's score has a higher row than everything kept, so it
 * loses the tie and is rightly not offered.
 *
 * <p>Scratch state of one scorer; not thread-safe.
 */
final class TopHeaps {

    private int n;
    private float[] scores = new float[0];
    private int[] rows = new int[0];
    private int[] sizes = new int[0];
    /** Per user: the score to beat; read directly by the kernels for speed. */
    float[] threshold = new float[0];

    /** Empties the heaps and sizes them for {@code users} heaps of capacity {@code n}. */
    void reset(final int users, final int n) {
        this.n = n;
        final int cells = users * n;
        if (scores.length < cells) {
            scores = new float[cells];
            rows = new int[cells];
        }
        if (sizes.length < users) {
            sizes = new int[users];
            threshold = new float[users];
        }
        Arrays.fill(sizes, 0, users, 0);
        Arrays.fill(threshold, 0, users, n == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY);
    }

    /** Offers a candidate to {@code user}'s heap; keeps it if it is among the best {@code n}. */
    void offer(final int user, final float score, final int row) {
        if (!(score > Float.NEGATIVE_INFINITY) || n == 0) {
            return;
        }
        final int base = user * n;
        final int size = sizes[user];
        if (size < n) {
            siftUp(base, size, score, row);
            sizes[user] = size + 1;
            if (size + 1 == n) {
                threshold[user] = scores[base];
            }
        } else if (isWorse(scores[base], rows[base], score, row)) {
            siftDown(base, n, score, row);
            threshold[user] = scores[base];
        }
    }

    /** {@code user}'s entries best first; leaves the heap empty. */
    RankedItems drain(final int user, final long modelVersion) {
        final int base = user * n;
        int size = sizes[user];
        final int[] outRows = new int[size];
        final float[] outScores = new float[size];
        // Repeatedly remove the worst: it goes to the back of the best-first output.
        while (size > 0) {
            outRows[size - 1] = rows[base];
            outScores[size - 1] = scores[base];
            size--;
            if (size > 0) {
                siftDown(base, size, scores[base + size], rows[base + size]);
            }
        }
        sizes[user] = 0;
        return new RankedItems(outRows, outScores, modelVersion);
    }

    /** True when entry a ranks below entry b. */
    static boolean isWorse(final float scoreA, final int rowA, final float scoreB, final int rowB) {
        return scoreA < scoreB || (scoreA == scoreB && rowA > rowB);
    }

    /** Places a new entry at index {@code size} and moves it up to its place. */
    private void siftUp(final int base, final int size, final float score, final int row) {
        int child = size;
        while (child > 0) {
            final int parent = (child - 1) >>> 1;
            if (!isWorse(score, row, scores[base + parent], rows[base + parent])) {
                break;
            }
            scores[base + child] = scores[base + parent];
            rows[base + child] = rows[base + parent];
            child = parent;
        }
        scores[base + child] = score;
        rows[base + child] = row;
    }

    /** Replaces the root by the given entry and moves it down within the first {@code size} cells. */
    private void siftDown(final int base, final int size, final float score, final int row) {
        int parent = 0;
        while (true) {
            int child = 2 * parent + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && isWorse(scores[base + child + 1], rows[base + child + 1],
                    scores[base + child], rows[base + child])) {
                child++;
            }
            if (!isWorse(scores[base + child], rows[base + child], score, row)) {
                break;
            }
            scores[base + parent] = scores[base + child];
            rows[base + parent] = rows[base + child];
            parent = child;
        }
        scores[base + parent] = score;
        rows[base + parent] = row;
    }
}
