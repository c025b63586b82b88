package dev.streamrec.service.http.dto;

import java.util.List;

/** Items nearest to {@code itemId} by cosine similarity of their latent factors, nearest first. */
public record SimilarItemsView(String itemId, List<SimilarItemView> items) {

    /** One neighbour and its cosine similarity in [-1, 1]. */
    public record SimilarItemView(String itemId, double similarity) {
    }
}
