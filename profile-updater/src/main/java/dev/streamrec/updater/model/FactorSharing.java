package dev.streamrec.updater.model;

/**
 * How the explicit (rating) loss and the implicit (interaction) loss share latent factors.
 *
 * <p>{@link #SHARED}: one vector of {@code rank} floats per user and per item; both losses move
 * it, so what a user clicks informs how they rate and the other way round (the idea behind
 * collective / joint factorisation, e.g. Koren 2008, "Factorization meets the neighborhood", which
 * lets implicit feedback shape the rating model). {@link #SEPARATE}: vectors of {@code 2 * rank}
 * floats, the first half used only by ratings and the second half only by interactions, so
 * neither loss can disturb the other. The offline replay benchmark decides between them.
 */
public enum FactorSharing {
    SHARED,
    SEPARATE;

    /** Length of a factor vector for the given rank. */
    public int dimensions(final int rank) {
        return this == SHARED ? rank : 2 * rank;
    }

    /** First index of the slice the rating loss uses. */
    public int ratingOffset(final int rank) {
        return 0;
    }

    /** First index of the slice the interaction loss uses. */
    public int interactionOffset(final int rank) {
        return this == SHARED ? 0 : rank;
    }
}
