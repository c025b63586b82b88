package dev.streamrec.service.http.dto;

import java.util.List;

/**
 * A user's behaviour profile on the wire. {@code meanRating} is derived (null without ratings);
 * times are ISO-8601 instants.
 */
public record ProfileView(String userId, long clickCount, long purchaseCount, long ratingCount, long distinctItems,
                          double totalSpend, Double meanRating, String firstEventTime, String lastEventTime,
                          List<CategoryAffinityView> categoryAffinities, String affinitiesAsOf,
                          List<RecentItemView> recentItems, double activityRate, double meanInterEventMs,
                          boolean anomalous, String anomalyReason, String updatedAt) {

    /** Decayed interest in one category, as of {@code affinitiesAsOf}. */
    public record CategoryAffinityView(String category, double weight) {
    }

    /** One recent interaction. */
    public record RecentItemView(String itemId, String kind, String eventTime) {
    }
}
