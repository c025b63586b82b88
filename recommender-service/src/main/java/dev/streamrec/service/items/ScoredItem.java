package dev.streamrec.service.items;

/**
 * An item and the score that ranked it: for similar items the cosine similarity; for the cold-start
 * (popular) list the item's decayed positive count ({@code ItemFactors.trendingScore} decayed by
 * {@code recommendations.trending.half.life.ms}) as of the time the list was ranked, 0 for an item
 * whose record carries none.
 */
public record ScoredItem(String itemId, double score) {
}
