package dev.streamrec.updater.ranking;

import java.util.Arrays;
import java.util.Objects;

/**
 * What to score for one user: the user's factors {@code p_u} and the matrix rows the caller
 * wants left out (purchased, rated, already shown: the caller decides).
 *
 * <p>Exclusions are a sorted {@code int[]} because the scorer walks rows in ascending order:
 * it can then check an exclusion with a cursor that only moves forward, touching it only for
 * rows that would otherwise enter the top N. Duplicates are allowed; rows the matrix does not
 * have are ignored. Use {@link #excluding} to build one from item ids.
 *
 * @param factors      user factors, of the matrix's rank; read, never modified
 * @param excludedRows matrix rows to leave out, ascending
 */
public record UserQuery(float[] factors, int[] excludedRows) {

    private static final int[] NONE = new int[0];

    public UserQuery {
        Objects.requireNonNull(factors, "factors");
        Objects.requireNonNull(excludedRows, "excludedRows");
        for (int i = 1; i < excludedRows.length; i++) {
            if (excludedRows[i - 1] > excludedRows[i]) {
                throw new IllegalArgumentException("excludedRows must be ascending; index " + i + " is " + excludedRows[i]
                        + " after " + excludedRows[i - 1]);
            }
        }
    }

    /** A query that excludes nothing. */
    public static UserQuery of(final float[] factors) {
        return new UserQuery(factors, NONE);
    }

    /** A query that excludes the given items; ids the matrix has never seen are skipped. */
    public static UserQuery excluding(final ItemFactorMatrix matrix, final float[] factors,
                                      final Iterable<String> excludedItemIds) {
        int[] rows = new int[16];
        int count = 0;
        for (final String itemId : excludedItemIds) {
            final int row = matrix.rowOf(itemId);
            if (row >= 0) {
                if (count == rows.length) {
                    rows = Arrays.copyOf(rows, count * 2);
                }
                rows[count++] = row;
            }
        }
        final int[] sorted = Arrays.copyOf(rows, count);
        Arrays.sort(sorted);
        return new UserQuery(factors, sorted);
    }
}
