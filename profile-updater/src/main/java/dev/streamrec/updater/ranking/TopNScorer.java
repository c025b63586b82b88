package dev.streamrec.updater.ranking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Top-N recommendations by {@code b_i + p_u · q_i} over the scorable rows of an
 * {@link ItemFactorMatrix}, for one user or a batch of users, leaving out each user's excluded
 * rows. Results are ordered by score descending, then row ascending (insertion order), and are
 * bit-for-bit those of {@link ReferenceRanker#topN}; see the package comment for the exact
 * arithmetic.
 *
 * <p><b>Why batches are fast.</b> The matrix (25 MB at 100k × 64) does not fit in cache, and a
 * per-user scan is bound by streaming it from memory and by one long chain of dependent float
 * additions per item. The batch kernel instead
 * <ol>
 *   <li>transposes the batch's user factors into tiles of up to {@value #MAX_USERS_PER_TILE}
 *       users, factor major ({@code tile[k][lane]}, 64 KB), read sequentially from L1/L2;</li>
 *   <li>walks the matrix in blocks of rows sized to stay in L2, and scores every tile of the
 *       batch against a block before moving on, so the matrix comes from memory once per
 *       batch;</li>
 *   <li>for each row computes the scores of all users of a tile at once: the inner loop runs
 *       over users, with the row's factor as a scalar, which the JIT turns into SIMD
 *       multiply-adds without changing any score's summation order;</li>
 *   <li>keeps each user's best N in a bounded min-heap ({@link TopHeaps}); a row only reaches
 *       the heap, and the user's exclusion list, when it beats the user's current N-th score.</li>
 * </ol>
 * Batches smaller than {@value #SMALL_BATCH} take a per-user kernel that scores four rows at
 * once to keep four independent addition chains in flight.
 *
 * <p><b>Threading.</b> An instance holds scratch buffers and must be used by one thread at a
 * time (give each stream thread and each HTTP worker its own, or pool them). The matrix may be
 * updated concurrently by its writer; see {@link ItemFactorMatrix} for what a reader may see.
 */
public final class TopNScorer {

    /** The default list length. */
    public static final int DEFAULT_N = 20;
    /**
     * Transposed user factors per tile, in floats (64 KB): at rank 64 a tile holds 256 users.
     * Long lane loops matter more than fitting L1: the tile is read sequentially (the
     * prefetcher keeps it streaming from L2) while per-row overhead is paid once per tile.
     */
    static final int TILE_FLOATS = 16 * 1024;
    /** Bounds on users per tile: at least enough lanes for several SIMD vectors. */
    static final int MIN_USERS_PER_TILE = 64;
    static final int MAX_USERS_PER_TILE = 256;
    /** Item factors per block, in floats: 64 Ki floats = 256 KB, comfortably inside L2. */
    static final int BLOCK_FLOATS = 64 * 1024;
    /** Below this many users a tile would be mostly padding; score user by user instead. */
    static final int SMALL_BATCH = 8;

    private final int n;
    private final TopHeaps heaps = new TopHeaps();
    private float[][] tiles = new float[0][];
    private final float[] tileScores = new float[MAX_USERS_PER_TILE];
    private int[] exclusionCursors = new int[0];

    /** A scorer for top-{@value #DEFAULT_N} lists. */
    public TopNScorer() {
        this(DEFAULT_N);
    }

    /** A scorer for top-{@code n} lists; {@code n} may be 0 (empty lists). */
    public TopNScorer(final int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        this.n = n;
    }

    /** The list length this scorer produces (fewer when fewer rows qualify). */
    public int n() {
        return n;
    }

    /** The top N for one user. */
    public RankedItems topN(final ItemFactorMatrix matrix, final UserQuery user) {
        return topN(matrix, List.of(user)).get(0);
    }

    /**
     * The top N for each user of the batch, in the batch's order. All users are scored against
     * the same snapshot of the matrix and carry the same model version.
     */
    public List<RankedItems> topN(final ItemFactorMatrix matrix, final List<UserQuery> users) {
        Objects.requireNonNull(matrix, "matrix");
        Objects.requireNonNull(users, "users");
        // Version first: its volatile read makes every row write before it visible to us.
        final long modelVersion = matrix.modelVersion();
        final ItemFactorMatrix.Snapshot snapshot = matrix.snapshot();
        for (final UserQuery user : users) {
            if (user.factors().length != snapshot.rank()) {
                throw new IllegalArgumentException("user factors have length " + user.factors().length
                        + ", matrix rank is " + snapshot.rank());
            }
        }
        heaps.reset(users.size(), n);
        if (n > 0 && snapshot.size() > 0) {
            if (users.size() < SMALL_BATCH) {
                for (int user = 0; user < users.size(); user++) {
                    scoreOneUser(snapshot, users.get(user), user);
                }
            } else {
                scoreBatch(snapshot, users);
            }
        }
        final List<RankedItems> results = new ArrayList<>(users.size());
        for (int user = 0; user < users.size(); user++) {
            results.add(heaps.drain(user, modelVersion));
        }
        return results;
    }

    // ---------------------------------------------------------------- batch kernel

    private void scoreBatch(final ItemFactorMatrix.Snapshot snapshot, final List<UserQuery> users) {
        final int rank = snapshot.rank();
        final int rowCount = snapshot.size();
        final int userCount = users.size();
        final int usersPerTile = usersPerTile(rank);
        final int tileCount = (userCount + usersPerTile - 1) / usersPerTile;
        transposeIntoTiles(users, rank, usersPerTile, tileCount);
        if (exclusionCursors.length < userCount) {
            exclusionCursors = new int[userCount];
        }
        Arrays.fill(exclusionCursors, 0, userCount, 0);

        final float[] factors = snapshot.factors();
        final float[] biases = snapshot.biases();
        final byte[] status = snapshot.status();
        final float[] threshold = heaps.threshold;
        final float[] scores = tileScores;
        final int rowsPerBlock = Math.max(16, BLOCK_FLOATS / rank);

        for (int blockStart = 0; blockStart < rowCount; blockStart += rowsPerBlock) {
            final int blockEnd = Math.min(rowCount, blockStart + rowsPerBlock);
            for (int tile = 0; tile < tileCount; tile++) {
                final int firstUser = tile * usersPerTile;
                final int lanes = Math.min(usersPerTile, userCount - firstUser);
                final int firstColumn = tile * rank;
                for (int row = blockStart; row < blockEnd; row++) {
                    if (status[row] != 0) {
                        continue;
                    }
                    scoreRowAgainstTile(factors, row * rank, rank, biases[row], tiles, firstColumn, lanes, scores);
                    for (int lane = 0; lane < lanes; lane++) {
                        final float score = scores[lane];
                        final int user = firstUser + lane;
                        if (score > threshold[user]) {
                            offerUnlessExcluded(user, users.get(user).excludedRows(), score, row);
                        }
                    }
                }
            }
        }
    }

    static int usersPerTile(final int rank) {
        return Math.max(MIN_USERS_PER_TILE, Math.min(MAX_USERS_PER_TILE, TILE_FLOATS / rank));
    }

    /**
     * Lays the users' factors out as {@code tiles[tile * rank + k][lane]}: one small array per
     * factor per tile. Separate arrays indexed from 0 matter: C2 (JDK 17) will not vectorise a
     * loop that reads {@code a[offset + lane]} with a loop-invariant offset next to
     * {@code out[lane]}, but does vectorise {@code out[lane] + a[lane] * q}.
     */
    private void transposeIntoTiles(final List<UserQuery> users, final int rank, final int usersPerTile,
                                    final int tileCount) {
        final int columns = tileCount * rank;
        if (tiles.length < columns || tiles[0].length != usersPerTile) {
            tiles = new float[columns][usersPerTile];
        }
        for (int column = 0; column < columns; column++) {
            Arrays.fill(tiles[column], 0f);
        }
        for (int user = 0; user < users.size(); user++) {
            final float[] p = users.get(user).factors();
            final int firstColumn = (user / usersPerTile) * rank;
            final int lane = user % usersPerTile;
            for (int k = 0; k < rank; k++) {
                tiles[firstColumn + k][lane] = p[k];
            }
        }
    }

    /**
     * {@code out[lane] = bias + Σ_k tile[k][lane] · q[k]} for the first {@code lanes} lanes,
     * summed in k order. Four factors per pass cut the loads and stores of {@code out} by four;
     * the parenthesised expression adds them in exactly the order of the one-at-a-time loop.
     */
    static void scoreRowAgainstTile(final float[] factors, final int rowOffset, final int rank, final float bias,
                                            final float[][] tiles, final int firstColumn, final int lanes,
                                            final float[] out) {
        Arrays.fill(out, 0, lanes, bias);
        int k = 0;
        for (; k + 3 < rank; k += 4) {
            final float q0 = factors[rowOffset + k];
            final float q1 = factors[rowOffset + k + 1];
            final float q2 = factors[rowOffset + k + 2];
            final float q3 = factors[rowOffset + k + 3];
            final float[] p0 = tiles[firstColumn + k];
            final float[] p1 = tiles[firstColumn + k + 1];
            final float[] p2 = tiles[firstColumn + k + 2];
            final float[] p3 = tiles[firstColumn + k + 3];
            for (int lane = 0; lane < lanes; lane++) {
                out[lane] = (((out[lane] + p0[lane] * q0) + p1[lane] * q1) + p2[lane] * q2) + p3[lane] * q3;
            }
        }
        for (; k < rank; k++) {
            final float q = factors[rowOffset + k];
            final float[] p = tiles[firstColumn + k];
            for (int lane = 0; lane < lanes; lane++) {
                out[lane] = out[lane] + p[lane] * q;
            }
        }
    }

    /** Rows arrive in ascending order per user, so the user's exclusion cursor only moves forward. */
    private void offerUnlessExcluded(final int user, final int[] excluded, final float score, final int row) {
        int cursor = exclusionCursors[user];
        while (cursor < excluded.length && excluded[cursor] < row) {
            cursor++;
        }
        exclusionCursors[user] = cursor;
        if (cursor < excluded.length && excluded[cursor] == row) {
            return;
        }
        heaps.offer(user, score, row);
    }

    // ---------------------------------------------------------------- per-user kernel

    private void scoreOneUser(final ItemFactorMatrix.Snapshot snapshot, final UserQuery query, final int user) {
        final int rank = snapshot.rank();
        final int rowCount = snapshot.size();
        final float[] factors = snapshot.factors();
        final float[] biases = snapshot.biases();
        final byte[] status = snapshot.status();
        final float[] p = query.factors();
        final int[] excluded = query.excludedRows();
        final float[] threshold = heaps.threshold;
        int cursor = 0;
        int row = 0;
        for (; row + 3 < rowCount; row += 4) {
            final int o0 = row * rank;
            final int o1 = o0 + rank;
            final int o2 = o1 + rank;
            final int o3 = o2 + rank;
            float s0 = biases[row];
            float s1 = biases[row + 1];
            float s2 = biases[row + 2];
            float s3 = biases[row + 3];
            for (int k = 0; k < rank; k++) {
                final float pk = p[k];
                s0 += pk * factors[o0 + k];
                s1 += pk * factors[o1 + k];
                s2 += pk * factors[o2 + k];
                s3 += pk * factors[o3 + k];
            }
            // Rarely taken: only rows that beat the current N-th score reach the heap.
            if (s0 > threshold[user] && status[row] == 0) {
                cursor = offerUnlessExcluded(user, excluded, cursor, s0, row);
            }
            if (s1 > threshold[user] && status[row + 1] == 0) {
                cursor = offerUnlessExcluded(user, excluded, cursor, s1, row + 1);
            }
            if (s2 > threshold[user] && status[row + 2] == 0) {
                cursor = offerUnlessExcluded(user, excluded, cursor, s2, row + 2);
            }
            if (s3 > threshold[user] && status[row + 3] == 0) {
                cursor = offerUnlessExcluded(user, excluded, cursor, s3, row + 3);
            }
        }
        for (; row < rowCount; row++) {
            final int offset = row * rank;
            float score = biases[row];
            for (int k = 0; k < rank; k++) {
                score += p[k] * factors[offset + k];
            }
            if (score > threshold[user] && status[row] == 0) {
                cursor = offerUnlessExcluded(user, excluded, cursor, score, row);
            }
        }
    }

    private int offerUnlessExcluded(final int user, final int[] excluded, final int cursorIn,
                                    final float score, final int row) {
        int cursor = cursorIn;
        while (cursor < excluded.length && excluded[cursor] < row) {
            cursor++;
        }
        if (cursor >= excluded.length || excluded[cursor] != row) {
            heaps.offer(user, score, row);
        }
        return cursor;
    }
}
