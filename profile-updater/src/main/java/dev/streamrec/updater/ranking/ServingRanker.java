package dev.streamrec.updater.ranking;

import java.util.List;

/**
 * Top-N the way the topology serves it: through the matrix's cluster index when it has one (large
 * catalogues, {@link ClusteredTopNScorer}), else over every item ({@link TopNScorer}). The served
 * lists and the prequential quality monitor both rank through this, so the live recall measures
 * the lists users get, approximation included.
 *
 * <p>One thread at a time per instance (the scorers' scratch buffers); the index is shared.
 */
public final class ServingRanker {
    private final TopNScorer exact;
    private final ClusteredTopNScorer clustered;
    private final ClusterIndexRefresher indexes;

    /**
     * @param n       list length
     * @param probes  clusters scored per user when there is an index
     * @param indexes the index of the matrix this ranker will be given
     */
    public ServingRanker(final int n, final int probes, final ClusterIndexRefresher indexes) {
        this.exact = new TopNScorer(n);
        this.clustered = new ClusteredTopNScorer(n, probes);
        this.indexes = indexes;
    }

    /** The top N of each user, in the batch's order. */
    public List<RankedItems> topN(final ItemFactorMatrix matrix, final List<UserQuery> users) {
        final ClusterIndex index = indexes.current();
        return index == null ? exact.topN(matrix, users) : clustered.topN(matrix, index, users);
    }

    /** The top N of one user. */
    public RankedItems topN(final ItemFactorMatrix matrix, final UserQuery user) {
        return topN(matrix, List.of(user)).get(0);
    }
}
