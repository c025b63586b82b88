package dev.streamrec.service.http.dto;

import java.util.List;

/**
 * A user's recommendations on the wire. Times are ISO-8601 instants; {@code triggerIngestTime} is
 * null for a cold-start list, which no event triggered.
 */
public record RecommendationsView(String userId, String strategy, long modelVersion, String generatedAt,
                                  String triggerIngestTime, List<RecommendedItemView> items) {

    /** One recommended item. */
    public record RecommendedItemView(String itemId, double score, String reason) {
    }
}
