package dev.streamrec.updater.ranking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Approximate top-N through a {@link ClusterIndex}: each user is scored against the items of the
 * {@code probes} clusters whose centroids score best for them, plus every row appended since the
 * index was built, instead of the whole catalogue. With √items clusters and ten probes that is
 * about a tenth of a 10,000-item catalogue.
 *
 * <p>What stays exact: every candidate's score is the bit-exact score of {@link TopNScorer} and
 * {@link ReferenceRanker} (same kernel, same summation order), and the list is the exact top N of
 * the candidates under "score descending, row ascending". What is approximate: an item outside the
 * probed clusters is never a candidate. How often that costs a place in the list (recall against
 * the exact top N) is measured by {@code ClusteredTopNScorerTest} and printed by the ranking
 * benchmark.
 *
 * <p>Batches stay fast the same way as in {@link TopNScorer}: users are grouped by the clusters
 * they probe, and each cluster's rows are scored against a transposed tile of its users, so a row
 * is read once per group rather than once per user.
 *
 * <p>One thread at a time per instance (scratch buffers), like {@link TopNScorer}.
 */
public final class ClusteredTopNScorer {

    private final int n;
    private final int probes;
    private final TopHeaps heaps = new TopHeaps();
    private float[][] tile = new float[0][];
    private final float[] tileScores = new float[TopNScorer.MAX_USERS_PER_TILE];
    private float[] centroidScores = new float[0];
    private int[] probed = new int[0];
    private int[] clusterUserStart = new int[0];
    private int[] clusterUsers = new int[0];
    private int[] allUsers = new int[0];

    /**
     * @param n      list length; may be 0 (empty lists)
     * @param probes clusters scored per user, at least 1
     */
    public ClusteredTopNScorer(final int n, final int probes) {
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative, was " + n);
        }
        if (probes < 1) {
            throw new IllegalArgumentException("probes must be at least 1, was " + probes);
        }
        this.n = n;
        this.probes = probes;
    }

    /** The top N of each user's candidates, in the batch's order, all against one snapshot. */
    public List<RankedItems> topN(final ItemFactorMatrix matrix, final ClusterIndex index, final List<UserQuery> users) {
        Objects.requireNonNull(matrix, "matrix");
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(users, "users");
        final long modelVersion = matrix.modelVersion();
        final ItemFactorMatrix.Snapshot snapshot = matrix.snapshot();
        if (index.rank() != snapshot.rank()) {
            throw new IllegalArgumentException("index rank " + index.rank() + " differs from matrix rank " + snapshot.rank());
        }
        for (final UserQuery user : users) {
            if (user.factors().length != snapshot.rank()) {
                throw new IllegalArgumentException("user factors have length " + user.factors().length
                        + ", matrix rank is " + snapshot.rank());
            }
        }
        heaps.reset(users.size(), n);
        if (n > 0 && snapshot.size() > 0 && !users.isEmpty()) {
            groupUsersByProbedCluster(index, users);
            for (int c = 0; c < index.clusters(); c++) {
                final int firstUser = clusterUserStart[c];
                final int userCount = clusterUserStart[c + 1] - firstUser;
                if (userCount > 0) {
                    scoreRows(snapshot, index.members(), index.memberStart(c), index.memberStart(c) + index.clusterSize(c),
                            clusterUsers, firstUser, userCount, users);
                }
            }
            final int unindexed = snapshot.size() - Math.min(index.indexedRows(), snapshot.size());
            if (unindexed > 0) {
                final int[] rows = new int[unindexed];
                for (int i = 0; i < unindexed; i++) {
                    rows[i] = index.indexedRows() + i;
                }
                scoreRows(snapshot, rows, 0, unindexed, allUsers, 0, users.size(), users);
            }
        }
        final List<RankedItems> results = new ArrayList<>(users.size());
        for (int user = 0; user < users.size(); user++) {
            results.add(heaps.drain(user, modelVersion));
        }
        return results;
    }

    /**
     * Chooses each user's clusters and fills {@code clusterUsers[clusterUserStart[c] ..]} with the
     * users probing cluster {@code c}. The centroids are scored like rows, against tiles of users
     * (a per-user loop over 100 centroids cost as much as scoring the candidates).
     */
    private void groupUsersByProbedCluster(final ClusterIndex index, final List<UserQuery> users) {
        final int clusters = index.clusters();
        final int rank = index.rank();
        final int perUser = Math.min(probes, clusters);
        final int usersPerTile = TopNScorer.usersPerTile(rank);
        if (centroidScores.length < usersPerTile * clusters) {
            centroidScores = new float[usersPerTile * clusters];
        }
        if (probed.length < users.size() * perUser) {
            probed = new int[users.size() * perUser];
        }
        if (clusterUserStart.length < clusters + 1) {
            clusterUserStart = new int[clusters + 1];
        }
        Arrays.fill(clusterUserStart, 0, clusters + 1, 0);
        if (allUsers.length < users.size()) {
            allUsers = new int[users.size()];
            for (int u = 0; u < allUsers.length; u++) {
                allUsers[u] = u;
            }
        }
        final float[] centroids = index.centroidFactors();
        final float[] offsets = index.centroidOffsets();
        final int[] chosen = new int[perUser];
        for (int tileStart = 0; tileStart < users.size(); tileStart += usersPerTile) {
            final int lanes = Math.min(usersPerTile, users.size() - tileStart);
            transpose(users, allUsers, tileStart, lanes, rank, usersPerTile);
            for (int c = 0; c < clusters; c++) {
                TopNScorer.scoreRowAgainstTile(centroids, c * rank, rank, offsets[c], tile, 0, lanes, tileScores);
                for (int lane = 0; lane < lanes; lane++) {
                    final float score = tileScores[lane];
                    centroidScores[lane * clusters + c] = score == score ? score : Float.NEGATIVE_INFINITY;
                }
            }
            for (int lane = 0; lane < lanes; lane++) {
                final int user = tileStart + lane;
                ClusterIndex.best(centroidScores, lane * clusters, clusters, perUser, chosen);
                for (int j = 0; j < perUser; j++) {
                    probed[user * perUser + j] = chosen[j];
                    clusterUserStart[chosen[j] + 1]++;
                }
            }
        }
        for (int c = 0; c < clusters; c++) {
            clusterUserStart[c + 1] += clusterUserStart[c];
        }
        if (clusterUsers.length < users.size() * perUser) {
            clusterUsers = new int[users.size() * perUser];
        }
        final int[] fill = Arrays.copyOf(clusterUserStart, clusters);
        for (int user = 0; user < users.size(); user++) {
            for (int j = 0; j < perUser; j++) {
                clusterUsers[fill[probed[user * perUser + j]]++] = user;
            }
        }
    }

    /**
     * Scores {@code rows[rowFrom .. rowTo)} for the users {@code userIds[firstUser .. firstUser + userCount)},
     * one tile of users at a time, and offers each score that can enter a user's list.
     */
    private void scoreRows(final ItemFactorMatrix.Snapshot snapshot, final int[] rows, final int rowFrom, final int rowTo,
                           final int[] userIds, final int firstUser, final int userCount, final List<UserQuery> users) {
        final int rank = snapshot.rank();
        final int size = snapshot.size();
        final float[] factors = snapshot.factors();
        final float[] biases = snapshot.biases();
        final byte[] status = snapshot.status();
        final float[] threshold = heaps.threshold;
        final float[] scores = tileScores;
        final int usersPerTile = TopNScorer.usersPerTile(rank);
        for (int tileStart = 0; tileStart < userCount; tileStart += usersPerTile) {
            final int lanes = Math.min(usersPerTile, userCount - tileStart);
            transpose(users, userIds, firstUser + tileStart, lanes, rank, usersPerTile);
            for (int i = rowFrom; i < rowTo; i++) {
                final int row = rows[i];
                if (row >= size || status[row] != 0) {
                    continue;
                }
                TopNScorer.scoreRowAgainstTile(factors, row * rank, rank, biases[row], tile, 0, lanes, scores);
                for (int lane = 0; lane < lanes; lane++) {
                    final float score = scores[lane];
                    final int user = userIds[firstUser + tileStart + lane];
                    // ">=", not ">": rows arrive in cluster order, not ascending, so an equal score
                    // with a lower row than the heap's worst may still belong in the list.
                    if (score >= threshold[user]
                            && Arrays.binarySearch(users.get(user).excludedRows(), row) < 0) {
                        heaps.offer(user, score, row);
                    }
                }
            }
        }
    }

    /** {@code tile[k][lane]} = factor k of the lane's user; see {@code TopNScorer.transposeIntoTiles}. */
    private void transpose(final List<UserQuery> users, final int[] userIds, final int from, final int lanes,
                           final int rank, final int usersPerTile) {
        if (tile.length < rank || tile[0].length != usersPerTile) {
            tile = new float[rank][usersPerTile];
        }
        for (int lane = 0; lane < lanes; lane++) {
            final float[] p = users.get(userIds[from + lane]).factors();
            for (int k = 0; k < rank; k++) {
                tile[k][lane] = p[k];
            }
        }
    }
}
