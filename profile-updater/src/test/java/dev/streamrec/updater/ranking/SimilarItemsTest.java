package dev.streamrec.updater.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimilarItemsTest {

    @Test
    void similarItemsEqualTheBruteForceCosineRankingOnRandomInputs() {
        final SplittableRandom random = new SplittableRandom(99L);
        int nonEmpty = 0;
        for (int trial = 0; trial < 300; trial++) {
            final int rank = 1 + random.nextInt(20);
            final int rows = random.nextInt(0, 300);
            final boolean tieProne = random.nextBoolean();
            final ItemFactorMatrix matrix = RandomMatrices.matrix(random, rows, rank, tieProne, 0.3);
            if (rows > 0 && random.nextInt(4) == 0) {
                matrix.upsert("i" + random.nextInt(rows), new float[rank], 1f, 9); // zero vector: cosine undefined
            }
            final int k = random.nextInt(4) == 0 ? rows + 5 : 1 + random.nextInt(25);
            final String query = "i" + random.nextInt(rows + 2); // sometimes an unknown id
            final int[] excluded = random.nextBoolean() ? new int[0] : RandomMatrices.exclusions(random, rows);

            final RankedItems fast = new SimilarItems(k).similarTo(matrix, query, excluded);

            assertThat(fast).as("trial %d", trial).isEqualTo(ReferenceRanker.similarTo(matrix, query, k, excluded));
            assertThat(fast.rows()).doesNotContain(matrix.rowOf(query));
            if (fast.size() > 0) {
                nonEmpty++;
            }
        }
        assertThat(nonEmpty).isGreaterThan(150);
    }

    @Test
    void mostSimilarIsTheItemPointingTheSameWayRegardlessOfLength() {
        final ItemFactorMatrix matrix = new ItemFactorMatrix(2);
        matrix.upsert("query", new float[] {1, 0}, 0f, 1);
        matrix.upsert("orthogonal", new float[] {0, 5}, 0f, 1);
        matrix.upsert("sameDirectionLong", new float[] {10, 0}, 0f, 1);
        matrix.upsert("opposite", new float[] {-1, 0}, 0f, 1);
        matrix.upsert("diagonal", new float[] {1, 1}, 0f, 1);
        matrix.upsert("inactiveTwin", new float[] {2, 0}, 0f, 1);
        matrix.setActive("inactiveTwin", false);

        final RankedItems similar = new SimilarItems(10).similarTo(matrix, "query");

        assertThat(similar.itemIds(matrix)).containsExactly("sameDirectionLong", "diagonal", "orthogonal", "opposite");
        assertThat(similar.scoreAt(0)).isEqualTo(1f);
        assertThat(similar.scoreAt(3)).isEqualTo(-1f);
    }

    /**
     * A cosine is in [-1, 1], as the service's API documents, but in float the dot product and the
     * two norms round separately: an item and its exact copy scored 1.0000001 about one time in
     * five at ranks 16 and 32, and its negation below -1.
     */
    @Test
    void cosinesStayWithinMinusOneAndOneForDuplicatedAndNegatedVectors() {
        final SplittableRandom random = new SplittableRandom(7L);
        for (final int rank : new int[] {16, 32}) {
            for (int trial = 0; trial < 200; trial++) {
                final float[] factors = new float[rank];
                for (int f = 0; f < rank; f++) {
                    factors[f] = (float) random.nextGaussian() * 0.1f;
                }
                final float[] negated = new float[rank];
                for (int f = 0; f < rank; f++) {
                    negated[f] = -factors[f];
                }
                final ItemFactorMatrix matrix = new ItemFactorMatrix(rank);
                matrix.upsert("item", factors, 0f, 1);
                matrix.upsert("copy", factors.clone(), 0f, 1);
                matrix.upsert("negated", negated, 0f, 1);

                final RankedItems similar = new SimilarItems(2).similarTo(matrix, "item");

                assertThat(similar.itemIds(matrix)).containsExactly("copy", "negated");
                assertThat(similar.scoreAt(0)).as("rank %d trial %d", rank, trial).isLessThanOrEqualTo(1f);
                assertThat(similar.scoreAt(1)).as("rank %d trial %d", rank, trial).isGreaterThanOrEqualTo(-1f);
                assertThat(similar).isEqualTo(ReferenceRanker.similarTo(matrix, "item", 2, new int[0]));
            }
        }
    }

    @Test
    void unknownOrFactorlessItemsHaveNoSimilarItems() {
        final ItemFactorMatrix matrix = new ItemFactorMatrix(2);
        matrix.upsert("a", new float[] {1, 0}, 0f, 1);
        matrix.setActive("placeholder", false);

        assertThat(new SimilarItems(5).similarTo(matrix, "missing").size()).isZero();
        assertThat(new SimilarItems(5).similarTo(matrix, "placeholder").size()).isZero();
        assertThat(new SimilarItems(5).similarTo(matrix, "a").size()).as("only itself").isZero();
    }
}
