package dev.streamrec.updater.learn;

import dev.streamrec.updater.model.FactorSharing;
import dev.streamrec.updater.model.Hyperparameters;
import dev.streamrec.updater.model.ItemParameters;
import dev.streamrec.updater.model.UserParameters;

/**
 * Writes the model's ranking score as one dot product, so the dense scorer can rank with it.
 *
 * <p>The model ranks by {@code s(u,i) = c_i + p·q (interaction slice) + β (b_i + p·q (rating slice))}
 * ({@code SgdStep.rankingScore}). With the item row {@code q_i} (all slices) and row bias
 * {@code c_i + β b_i}, the same score is {@code row_bias + query · q_i} where the query is p_u with
 * its rating slice scaled by β; when the slices are one shared vector the query is (1 + β) p_u.
 */
public final class RankingProjection {
    private final Hyperparameters hyperparameters;

    public RankingProjection(final Hyperparameters hyperparameters) {
        this.hyperparameters = hyperparameters;
    }

    /** Length of item rows and queries. */
    public int dimensions() {
        return hyperparameters.dimensions();
    }

    public float rowBias(final ItemParameters item) {
        return item.interactionBias() + hyperparameters.rankingRatingBlend() * item.ratingBias();
    }

    public float[] query(final UserParameters user) {
        final float blend = hyperparameters.rankingRatingBlend();
        final float[] p = user.factors();
        final float[] query = new float[p.length];
        if (hyperparameters.sharing() == FactorSharing.SHARED) {
            for (int i = 0; i < p.length; i++) {
                query[i] = (1 + blend) * p[i];
            }
        } else {
            final int rank = hyperparameters.rank();
            final int ratingOffset = hyperparameters.sharing().ratingOffset(rank);
            final int interactionOffset = hyperparameters.sharing().interactionOffset(rank);
            for (int i = 0; i < rank; i++) {
                query[ratingOffset + i] = blend * p[ratingOffset + i];
                query[interactionOffset + i] = p[interactionOffset + i];
            }
        }
        return query;
    }
}
