package dev.streamrec.service.http;

import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.service.http.dto.InstancesView;
import dev.streamrec.service.http.dto.ProfileView;
import dev.streamrec.service.http.dto.RecommendationsView;
import dev.streamrec.service.http.dto.SimilarItemsView;
import dev.streamrec.service.items.ScoredItem;
import dev.streamrec.service.query.InstanceInfo;
import java.time.Instant;
import java.util.List;

/**
 * Avro records to the service's own wire records. Keeping the two apart lets the schemas evolve
 * (new fields, renamed internals) without changing the HTTP contract in {@code openapi.yaml}.
 */
final class Views {
    /** Reason given to each item of a cold-start list. */
    static final String POPULAR_REASON = "popular";
    static final String POPULAR_STRATEGY = "popular";

    private Views() {
    }

    /** The stored list, cut to its first {@code limit} items when a limit is given. */
    static RecommendationsView recommendations(final Recommendations r, final Integer limit) {
        final int n = limit == null ? r.getItems().size() : Math.min(limit, r.getItems().size());
        final List<RecommendationsView.RecommendedItemView> items = r.getItems().subList(0, n).stream()
                .map(i -> new RecommendationsView.RecommendedItemView(i.getItemId(), i.getScore(), i.getReason()))
                .toList();
        return new RecommendationsView(r.getUserId(), r.getStrategy(), r.getModelVersion(),
                iso(r.getGeneratedAt()), iso(r.getTriggerIngestTime()), items);
    }

    /** A cold-start list for a user the updater has not published anything for. */
    static RecommendationsView coldStart(final String userId, final List<ScoredItem> popular, final Instant now) {
        final List<RecommendationsView.RecommendedItemView> items = popular.stream()
                .map(i -> new RecommendationsView.RecommendedItemView(i.itemId(), i.score(), POPULAR_REASON))
                .toList();
        return new RecommendationsView(userId, POPULAR_STRATEGY, 0, now.toString(), null, items);
    }

    static ProfileView profile(final UserProfile p) {
        final Double meanRating = p.getRatingCount() == 0 ? null : p.getRatingSum() / p.getRatingCount();
        return new ProfileView(p.getUserId(), p.getClickCount(), p.getPurchaseCount(), p.getRatingCount(),
                p.getDistinctItems(), p.getTotalSpend(), meanRating, iso(p.getFirstEventTime()),
                iso(p.getLastEventTime()),
                p.getCategoryAffinities().stream()
                        .map(a -> new ProfileView.CategoryAffinityView(a.getCategory(), a.getWeight())).toList(),
                iso(p.getAffinitiesAsOf()),
                p.getRecentItems().stream()
                        .map(i -> new ProfileView.RecentItemView(i.getItemId(), i.getKind().name(), iso(i.getEventTime())))
                        .toList(),
                p.getActivityRate(), p.getMeanInterEventMs(), p.getAnomalous(), p.getAnomalyReason(),
                iso(p.getUpdatedAt()));
    }

    static SimilarItemsView similar(final String itemId, final List<ScoredItem> items) {
        return new SimilarItemsView(itemId,
                items.stream().map(i -> new SimilarItemsView.SimilarItemView(i.itemId(), i.score())).toList());
    }

    static InstancesView instances(final String self, final List<InstanceInfo> all) {
        return new InstancesView(self, all.stream()
                .map(i -> new InstancesView.InstanceView(i.host(), i.port(), i.self(), i.stores(),
                        i.activePartitions(), i.standbyPartitions()))
                .toList());
    }

    /** ISO-8601, or null for the Avro default of 0 that means "never set". */
    private static String iso(final Instant t) {
        return t == null || t.toEpochMilli() == 0 ? null : t.toString();
    }
}
