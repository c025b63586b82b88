package dev.streamrec.updater.ranking;

import java.util.Arrays;
import java.util.Objects;

/**
 * Top-K items most similar to a given item by cosine of their factors ("more like this", and
 * a fallback for users with too little history). Leaves out the item itself, rows that are
 * inactive or have no factors, rows with all-zero factors (cosine undefined) and any rows the
 * caller excludes. Order: cosine descending, then row ascending.
 *
 * <p>Cosine uses the norms the matrix caches on upsert, so a query costs one dot product per
 * row: {@code cos = dot / (‖q_item‖ · ‖q_row‖)} in float, the dot summed from 0 in factor
 * order, clamped to [-1, 1] (bit-for-bit {@link ReferenceRanker#similarTo}). Four rows are scored
 * per pass to keep four independent addition chains in flight.
 *
 * <p><b>Threading.</b> Holds scratch buffers: one thread at a time per instance. The matrix may
 * be written concurrently (see {@link ItemFactorMatrix}); the query item's factors are copied
 * first so the query vector cannot change half-way through a scan.
 */
public final class SimilarItems {

    private static final int[] NONE = new int[0];

    private final int k;
    private final TopHeaps heap = new TopHeaps();

    /** Finds the {@code k} most similar items per query. */
    public SimilarItems(final int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative, was " + k);
        }
        this.k = k;
    }

    /** The {@code k} rows most similar to {@code itemId}; empty when the item is unknown or has no factors. */
    public RankedItems similarTo(final ItemFactorMatrix matrix, final String itemId) {
        return similarTo(matrix, itemId, NONE);
    }

    /** As {@link #similarTo(ItemFactorMatrix, String)}, also leaving out {@code excludedRows} (ascending). */
    public RankedItems similarTo(final ItemFactorMatrix matrix, final String itemId, final int[] excludedRows) {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(excludedRows, "excludedRows");
        final long modelVersion = matrix.modelVersion();
        final ItemFactorMatrix.Snapshot snapshot = matrix.snapshot();
        heap.reset(1, k);
        final int self = snapshot.rowOf(itemId);
        if (self < 0 || (snapshot.status()[self] & ItemFactorMatrix.NO_FACTORS) != 0 || k == 0) {
            return heap.drain(0, modelVersion);
        }
        final int rank = snapshot.rank();
        final float[] factors = snapshot.factors();
        final float[] query = Arrays.copyOfRange(factors, self * rank, (self + 1) * rank);
        final float queryNorm = ItemFactorMatrix.norm(query);
        if (queryNorm == 0f) {
            return heap.drain(0, modelVersion);
        }
        final float[] norms = snapshot.norms();
        final byte[] status = snapshot.status();
        final int rowCount = snapshot.size();
        int cursor = 0;
        int row = 0;
        for (; row + 3 < rowCount; row += 4) {
            final int o0 = row * rank;
            final int o1 = o0 + rank;
            final int o2 = o1 + rank;
            final int o3 = o2 + rank;
            float d0 = 0f;
            float d1 = 0f;
            float d2 = 0f;
            float d3 = 0f;
            for (int f = 0; f < rank; f++) {
                final float qf = query[f];
                d0 += qf * factors[o0 + f];
                d1 += qf * factors[o1 + f];
                d2 += qf * factors[o2 + f];
                d3 += qf * factors[o3 + f];
            }
            cursor = consider(row, d0, queryNorm, norms, status, self, excludedRows, cursor);
            cursor = consider(row + 1, d1, queryNorm, norms, status, self, excludedRows, cursor);
            cursor = consider(row + 2, d2, queryNorm, norms, status, self, excludedRows, cursor);
            cursor = consider(row + 3, d3, queryNorm, norms, status, self, excludedRows, cursor);
        }
        for (; row < rowCount; row++) {
            final int offset = row * rank;
            float dot = 0f;
            for (int f = 0; f < rank; f++) {
                dot += query[f] * factors[offset + f];
            }
            cursor = consider(row, dot, queryNorm, norms, status, self, excludedRows, cursor);
        }
        return heap.drain(0, modelVersion);
    }

    /**
     * {@code cosine} within [-1, 1], where a cosine belongs: the dot product and the two norms are
     * rounded separately in float, so a vector and its copy could score 1.0000001 (about one pair
     * in five at ranks 16 and 32), above the maximum the service's API documents. NaN stays NaN.
     */
    static float clampCosine(final float cosine) {
        return cosine > 1f ? 1f : cosine < -1f ? -1f : cosine;
    }

    /** Offers the row's cosine if it qualifies; returns the advanced exclusion cursor. */
    private int consider(final int row, final float dot, final float queryNorm, final float[] norms, final byte[] status,
                         final int self, final int[] excluded, final int cursorIn) {
        final float rowNorm = norms[row];
        if (status[row] != 0 || row == self || rowNorm == 0f) {
            return cursorIn;
        }
        final float cosine = clampCosine(dot / (queryNorm * rowNorm));
        if (!(cosine > heap.threshold[0])) {
            return cursorIn;
        }
        int cursor = cursorIn;
        while (cursor < excluded.length && excluded[cursor] < row) {
            cursor++;
        }
        if (cursor >= excluded.length || excluded[cursor] != row) {
            heap.offer(0, cosine, row);
        }
        return cursor;
    }
}
