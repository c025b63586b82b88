package dev.streamrec.updater.recommend;

import dev.streamrec.schemas.CategoryAffinity;
import dev.streamrec.schemas.RecentItem;
import dev.streamrec.schemas.RecommendedItem;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.updater.config.UpdaterConfig.RecommendationRules;
import dev.streamrec.updater.learn.ItemModel;
import dev.streamrec.updater.ranking.ClusteredTopNScorer;
import dev.streamrec.updater.ranking.ItemFactorMatrix;
import dev.streamrec.updater.ranking.RankedItems;
import dev.streamrec.updater.ranking.ServingRanker;
import dev.streamrec.updater.ranking.TrendingItems;
import dev.streamrec.updater.ranking.UserQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a batch of users into {@link Recommendations}: one batched scoring pass over the dense item
 * matrix for users the model knows, trending items for users in cold start, each item with a
 * short reason.
 *
 * <ul>
 *   <li>{@code mf}: score {@code c_i + β b_i + p_u · q_i} (see {@code RankingProjection}) over active
 *       items, minus the user's excluded items (in catalogues of at least
 *       {@code recommendations.candidates.min.items}, over the items of the user's best clusters:
 *       {@link ClusteredTopNScorer}); reason: the item of the user's recent history
 *       whose factors are most similar (cosine), "similar to X".</li>
 *   <li>{@code popular}: a user with fewer events than {@code recommendations.cold.start.min.events}
 *       gets time-decayed trending items, restricted to the categories of the user's affinities when
 *       there are any; reason "trending in C".</li>
 *   <li>{@code blend}: an mf list shorter than N (small or mostly excluded catalogue) topped up
 *       with trending items.</li>
 * </ul>
 */
public final class RecommendationBuilder {
    private static final int HISTORY_FOR_REASONS = 10;

    private final ItemModel model;
    private final RecommendationRules rules;
    private final ServingRanker ranker;

    public RecommendationBuilder(final ItemModel model, final RecommendationRules rules) {
        this.model = model;
        this.rules = rules;
        this.ranker = new ServingRanker(rules.size(), rules.candidates().probes(), model.candidateIndex());
    }

    /** One user to refresh. {@code query} is null when the model has never learned from the user. */
    public record Request(String userId, UserProfile profile, float[] query, Set<String> excluded,
                          long triggerIngestTime) {
    }

    /** Recommendations for each request, in order. */
    public List<Recommendations> build(final List<Request> requests, final long nowMs) {
        final ItemFactorMatrix matrix = model.matrix();
        final List<Request> modelled = new ArrayList<>();
        final List<UserQuery> queries = new ArrayList<>();
        for (final Request request : requests) {
            if (!coldStart(request)) {
                modelled.add(request);
                queries.add(UserQuery.excluding(matrix, request.query(), request.excluded()));
            }
        }
        final List<RankedItems> ranked = queries.isEmpty() ? List.of() : ranker.topN(matrix, queries);
        final List<Recommendations> out = new ArrayList<>(requests.size());
        final TrendingPrefixes trending = new TrendingPrefixes(model.trending(), nowMs);
        int next = 0;
        for (final Request request : requests) {
            if (coldStart(request)) {
                out.add(popular(request, nowMs, new ArrayList<>(), "popular", trending));
            } else {
                out.add(personal(request, ranked.get(next++), matrix, nowMs, trending));
            }
        }
        return out;
    }

    private boolean coldStart(final Request request) {
        final UserProfile p = request.profile();
        final long events = p == null ? 0 : p.getClickCount() + p.getPurchaseCount() + p.getRatingCount();
        return request.query() == null || events < rules.coldStartMinEvents();
    }

    private Recommendations personal(final Request request, final RankedItems ranked, final ItemFactorMatrix matrix,
                                     final long nowMs, final TrendingPrefixes trending) {
        final List<RecommendedItem> items = new ArrayList<>(ranked.size());
        final List<Integer> historyRows = historyRows(request.profile(), matrix);
        for (int i = 0; i < ranked.size(); i++) {
            final int row = ranked.rowAt(i);
            items.add(new RecommendedItem(matrix.itemIdAt(row), (double) ranked.scoreAt(i), reason(row, historyRows, matrix)));
        }
        if (items.size() < rules.size()) {
            return popular(request, nowMs, items, "blend", trending);
        }
        return recommendations(request, items, "mf", ranked.modelVersion(), nowMs);
    }

    private Recommendations popular(final Request request, final long nowMs, final List<RecommendedItem> already,
                                    final String strategy, final TrendingPrefixes trending) {
        final Set<String> allowed = new LinkedHashSet<>();
        if (request.profile() != null) {
            for (final CategoryAffinity affinity : request.profile().getCategoryAffinities()) {
                allowed.add(affinity.getCategory());
            }
        }
        final Set<String> excluded = new HashSet<>(request.excluded());
        already.forEach(item -> excluded.add(item.getItemId()));
        final int wanted = rules.size() - already.size();
        List<TrendingItems.TrendingItem> top = trending.top(wanted, allowed, excluded);
        if (top.size() < wanted && !allowed.isEmpty()) { // too few in the user's categories: widen
            final Set<String> moreExcluded = new HashSet<>(excluded);
            top.forEach(t -> moreExcluded.add(t.itemId()));
            final List<TrendingItems.TrendingItem> more = trending.top(wanted - top.size(), Set.of(), moreExcluded);
            top = new ArrayList<>(top);
            top.addAll(more);
        }
        final List<RecommendedItem> items = new ArrayList<>(already);
        for (final TrendingItems.TrendingItem item : top) {
            items.add(new RecommendedItem(item.itemId(), item.score(), trendingReason(item.itemId(), allowed)));
        }
        return recommendations(request, items, strategy, model.matrix().modelVersion(), nowMs);
    }

    /**
     * Trending lists for one refresh batch, cut from one best-first snapshot of the trending items
     * ({@link TrendingItems#ranking}) instead of one pass over every item per cold-start user,
     * which cost about 10 % of a stream thread. Exact for that instant: a user whose categories
     * and exclusions leave too few items in the snapshot gets the full pass.
     */
    static final class TrendingPrefixes {
        /** Snapshot length: with a user's categories holding a tenth of the items, ~100 candidates. */
        static final int LENGTH = 1024;
        private final TrendingItems trending;
        private final long nowMs;
        private TrendingItems.Ranking ranking;

        TrendingPrefixes(final TrendingItems trending, final long nowMs) {
            this.trending = trending;
            this.nowMs = nowMs;
        }

        List<TrendingItems.TrendingItem> top(final int wanted, final Set<String> allowed, final Set<String> excluded) {
            if (ranking == null) {
                ranking = trending.ranking(LENGTH, nowMs);
            }
            return ranking.top(wanted, allowed, excluded).orElseGet(() -> trending.top(wanted, nowMs, allowed, excluded));
        }
    }

    private String trendingReason(final String itemId, final Set<String> userCategories) {
        final List<String> categories = model.categoriesOf(itemId);
        for (final String category : categories) {
            if (userCategories.contains(category)) {
                return "trending in " + category;
            }
        }
        return categories.isEmpty() ? "trending" : "trending in " + categories.get(0);
    }

    private static List<Integer> historyRows(final UserProfile profile, final ItemFactorMatrix matrix) {
        final List<Integer> rows = new ArrayList<>();
        if (profile == null) {
            return rows;
        }
        final Set<String> seen = new HashSet<>();
        for (final RecentItem recent : profile.getRecentItems()) {
            if (rows.size() >= HISTORY_FOR_REASONS) {
                break;
            }
            final int row = matrix.rowOf(recent.getItemId());
            if (seen.add(recent.getItemId()) && row >= 0 && matrix.isScorable(row)) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** "similar to X": the history item whose factors have the highest cosine with the candidate's. */
    private static String reason(final int row, final List<Integer> historyRows, final ItemFactorMatrix matrix) {
        if (historyRows.isEmpty()) {
            return "matches your taste";
        }
        int best = -1;
        float bestCosine = Float.NEGATIVE_INFINITY;
        for (final int history : historyRows) {
            final float cosine = matrix.cosine(row, history);
            if (cosine > bestCosine) {
                bestCosine = cosine;
                best = history;
            }
        }
        return "similar to " + matrix.itemIdAt(best);
    }

    private static Recommendations recommendations(final Request request, final List<RecommendedItem> items,
                                                   final String strategy, final long modelVersion, final long nowMs) {
        return Recommendations.newBuilder().setUserId(request.userId()).setItems(items).setStrategy(strategy)
                .setModelVersion(modelVersion).setGeneratedAt(Instant.ofEpochMilli(nowMs))
                .setTriggerIngestTime(Instant.ofEpochMilli(request.triggerIngestTime())).build();
    }
}
