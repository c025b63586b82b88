package dev.streamrec.service.items;

/** An item and the score that ranked it (cosine similarity, or popularity as an update count). */
public record ScoredItem(String itemId, double score) {
}
