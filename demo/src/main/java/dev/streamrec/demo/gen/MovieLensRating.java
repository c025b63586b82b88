package dev.streamrec.demo.gen;

/** One line of a MovieLens ratings file. */
public record MovieLensRating(String userId, String itemId, double rating, long timestampSeconds) {
}
