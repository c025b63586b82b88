package dev.streamrec.updater.ranking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One ranked list: matrix rows best first with their scores, and the matrix's model version
 * read before scoring began. Rows are stable for the life of the matrix, so they can be turned
 * into item ids later with {@link #itemIds(ItemFactorMatrix)}.
 *
 * <p>Immutable by convention: the arrays are owned by this object and not handed out. Equality
 * compares contents (so tests can compare results directly); floats compare by bits.
 *
 * @param rows         matrix rows, best first
 * @param scores       score of each row, same order
 * @param modelVersion {@link ItemFactorMatrix#modelVersion()} when scoring started
 */
public record RankedItems(int[] rows, float[] scores, long modelVersion) {

    public RankedItems {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(scores, "scores");
        if (rows.length != scores.length) {
            throw new IllegalArgumentException(rows.length + " rows but " + scores.length + " scores");
        }
    }

    /** Number of entries, at most the N asked for. */
    public int size() {
        return rows.length;
    }

    public int rowAt(final int rank) {
        return rows[rank];
    }

    public float scoreAt(final int rank) {
        return scores[rank];
    }

    /** The rows' item ids, best first. */
    public List<String> itemIds(final ItemFactorMatrix matrix) {
        final List<String> ids = new ArrayList<>(rows.length);
        for (final int row : rows) {
            ids.add(matrix.itemIdAt(row));
        }
        return ids;
    }

    @Override
    public int[] rows() {
        return rows.clone();
    }

    @Override
    public float[] scores() {
        return scores.clone();
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof RankedItems that
                && modelVersion == that.modelVersion
                && Arrays.equals(rows, that.rows)
                && Arrays.equals(scores, that.scores);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(rows) + Arrays.hashCode(scores)) + Long.hashCode(modelVersion);
    }

    @Override
    public String toString() {
        final StringBuilder text = new StringBuilder("RankedItems[v=").append(modelVersion);
        for (int i = 0; i < rows.length; i++) {
            text.append(i == 0 ? " " : ", ").append(rows[i]).append('=').append(scores[i]);
        }
        return text.append(']').toString();
    }
}
