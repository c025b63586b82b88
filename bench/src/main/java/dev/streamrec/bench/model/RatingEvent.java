package dev.streamrec.bench.model;

/** One line of a MovieLens ratings file. Ids are kept as the strings the model sees in production. */
public record RatingEvent(String userId, String itemId, float rating, long timestamp) {
}
