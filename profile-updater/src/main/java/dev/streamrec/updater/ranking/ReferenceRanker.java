package dev.streamrec.updater.ranking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The straightforward ranking: for one user, score every row one at a time, collect the
 * candidates, sort them all, keep the first N. Slow on purpose and obviously right: it is the
 * oracle for the property tests and the baseline for the benchmark. Not for production paths.
 *
 * <p>Uses the package's canonical arithmetic and order (score descending, then row ascending;
 * only scores {@code > -∞} qualify), so the fast kernels must match it exactly.
 *
 * <p>Stateless and thread-safe; reads one snapshot of the matrix per call.
 */
public final class ReferenceRanker {

    private ReferenceRanker() {
    }

    /** Best first by score, then by row. */
    private static final Comparator<Candidate> BEST_FIRST = (a, b) -> {
        if (a.score() > b.score()) {
            return -1;
        }
        if (a.score() < b.score()) {
            return 1;
        }
        return Integer.compare(a.row(), b.row());
    };

    private record Candidate(int row, float score) {
    }

    /** Top {@code n} rows for {@code user} by {@code b_i + p_u · q_i}. */
    public static RankedItems topN(final ItemFactorMatrix matrix, final UserQuery user, final int n) {
        final long modelVersion = matrix.modelVersion();
        final ItemFactorMatrix.Snapshot snapshot = matrix.snapshot();
        final int rank = snapshot.rank();
        final float[] p = user.factors();
        final List<Candidate> candidates = new ArrayList<>();
        for (int row = 0; row < snapshot.size(); row++) {
            if (snapshot.status()[row] != 0 || Arrays.binarySearch(user.excludedRows(), row) >= 0) {
                continue;
            }
            float score = snapshot.biases()[row];
            for (int k = 0; k < rank; k++) {
                score += p[k] * snapshot.factors()[row * rank + k];
            }
            if (score > Float.NEGATIVE_INFINITY) {
                candidates.add(new Candidate(row, score));
            }
        }
        return firstN(candidates, n, modelVersion);
    }

    /**
     * Top {@code k} rows by cosine similarity to {@code itemId}'s factors, leaving out the item
     * itself, rows that are not scorable, rows with zero factors and {@code excludedRows}
     * (ascending). Cosine is {@code dot / (norm_a * norm_b)} in float, the dot summed from 0 in
     * factor order and each norm the square root of the float sum of squares in factor order,
     * clamped to [-1, 1]. Empty when the item is unknown, has no factors or has zero factors.
     */
    public static RankedItems similarTo(final ItemFactorMatrix matrix, final String itemId, final int k,
                                        final int[] excludedRows) {
        final long modelVersion = matrix.modelVersion();
        final ItemFactorMatrix.Snapshot snapshot = matrix.snapshot();
        final int self = snapshot.rowOf(itemId);
        if (self < 0 || (snapshot.status()[self] & ItemFactorMatrix.NO_FACTORS) != 0) {
            return new RankedItems(new int[0], new float[0], modelVersion);
        }
        final int rank = snapshot.rank();
        final float[] query = Arrays.copyOfRange(snapshot.factors(), self * rank, (self + 1) * rank);
        final float queryNorm = ItemFactorMatrix.norm(query);
        final List<Candidate> candidates = new ArrayList<>();
        for (int row = 0; row < snapshot.size(); row++) {
            if (row == self || snapshot.status()[row] != 0 || Arrays.binarySearch(excludedRows, row) >= 0) {
                continue;
            }
            final float[] other = Arrays.copyOfRange(snapshot.factors(), row * rank, (row + 1) * rank);
            final float otherNorm = ItemFactorMatrix.norm(other);
            if (queryNorm == 0f || otherNorm == 0f) {
                continue;
            }
            float dot = 0f;
            for (int f = 0; f < rank; f++) {
                dot += query[f] * other[f];
            }
            final float cosine = SimilarItems.clampCosine(dot / (queryNorm * otherNorm));
            if (cosine > Float.NEGATIVE_INFINITY) {
                candidates.add(new Candidate(row, cosine));
            }
        }
        return firstN(candidates, k, modelVersion);
    }

    private static RankedItems firstN(final List<Candidate> candidates, final int n, final long modelVersion) {
        candidates.sort(BEST_FIRST);
        final int size = Math.min(n, candidates.size());
        final int[] rows = new int[size];
        final float[] scores = new float[size];
        for (int i = 0; i < size; i++) {
            rows[i] = candidates.get(i).row();
            scores[i] = candidates.get(i).score();
        }
        return new RankedItems(rows, scores, modelVersion);
    }
}
