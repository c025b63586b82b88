package dev.streamrec.updater.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast top-N must equal the brute-force reference bit for bit, order included. */
class TopNScorerTest {

    /** Large ranks shrink the tile (64 users at rank 300) so random batches span several tiles. */
    private static final int[] RANKS = {1, 2, 3, 4, 5, 7, 8, 16, 33, 130, 300};

    @Test
    void batchedAndSmallBatchTopNEqualTheReferenceOnRandomInputs() {
        final SplittableRandom random = new SplittableRandom(20_240_611L);
        int comparedLists = 0;
        int listsShorterThanN = 0;
        for (int trial = 0; trial < 400; trial++) {
            final int rank = RANKS[random.nextInt(RANKS.length)];
            final int rows = random.nextInt(8) == 0 ? random.nextInt(4) : random.nextInt(1, 400);
            final boolean tieProne = random.nextBoolean();
            final ItemFactorMatrix matrix = RandomMatrices.matrix(random, rows, rank, tieProne, random.nextDouble() * 0.4);
            // Batch sizes below SMALL_BATCH take the per-user kernel; above 64 span several tiles.
            final int batch = random.nextInt(4) == 0 ? random.nextInt(1, TopNScorer.SMALL_BATCH) : random.nextInt(1, 150);
            final List<UserQuery> users = new ArrayList<>();
            for (int u = 0; u < batch; u++) {
                users.add(new UserQuery(RandomMatrices.factors(random, rank, tieProne), RandomMatrices.exclusions(random, rows)));
            }
            final int n = switch (random.nextInt(4)) {
                case 0 -> 1;
                case 1 -> TopNScorer.DEFAULT_N;
                case 2 -> rows + random.nextInt(1, 10);
                default -> random.nextInt(0, 60);
            };

            final List<RankedItems> fast = new TopNScorer(n).topN(matrix, users);

            assertThat(fast).hasSize(batch);
            for (int u = 0; u < batch; u++) {
                final RankedItems expected = ReferenceRanker.topN(matrix, users.get(u), n);
                assertThat(fast.get(u)).as("trial %d user %d rank %d rows %d n %d", trial, u, rank, rows, n).isEqualTo(expected);
                comparedLists++;
                if (expected.size() < n) {
                    listsShorterThanN++;
                }
            }
        }
        // Guard against a generator that never exercises the interesting cases.
        assertThat(comparedLists).isGreaterThan(10_000);
        assertThat(listsShorterThanN).isGreaterThan(500);
    }

    @Test
    void batchSpanningSeveralRowBlocksAndTilesEqualsTheReference() {
        final SplittableRandom random = new SplittableRandom(7L);
        final int rank = 64;
        final int rows = 2 * (TopNScorer.BLOCK_FLOATS / rank) + 123;
        final ItemFactorMatrix matrix = RandomMatrices.matrix(random, rows, rank, false, 0.1);
        final List<UserQuery> users = new ArrayList<>();
        for (int u = 0; u < TopNScorer.usersPerTile(rank) + 7; u++) {
            users.add(new UserQuery(RandomMatrices.factors(random, rank, false), RandomMatrices.exclusions(random, rows)));
        }

        final List<RankedItems> fast = new TopNScorer().topN(matrix, users);

        for (int u = 0; u < users.size(); u++) {
            assertThat(fast.get(u)).isEqualTo(ReferenceRanker.topN(matrix, users.get(u), TopNScorer.DEFAULT_N));
            assertThat(fast.get(u).size()).isEqualTo(TopNScorer.DEFAULT_N);
        }
    }

    @Test
    void equalScoresAreOrderedByRowAscending() {
        final ItemFactorMatrix matrix = new ItemFactorMatrix(2);
        matrix.upsert("low", new float[] {0, 0}, 0f, 1);
        matrix.upsert("tieA", new float[] {1, 0}, 0f, 1);
        matrix.upsert("high", new float[] {2, 0}, 0f, 1);
        matrix.upsert("tieB", new float[] {0, 1}, 0f, 1);
        matrix.upsert("tieC", new float[] {1, 1}, -1f, 1);
        final float[] user = {1, 1};

        final RankedItems small = new TopNScorer(4).topN(matrix, UserQuery.of(user));
        final RankedItems batched = new TopNScorer(4).topN(matrix, nCopies(UserQuery.of(user), 20)).get(19);

        assertThat(small.itemIds(matrix)).containsExactly("high", "tieA", "tieB", "tieC");
        assertThat(small.scores()).containsExactly(2f, 1f, 1f, 1f);
        assertThat(batched).isEqualTo(small);
    }

    @Test
    void topNOfAnEmptyMatrixIsEmptyForEveryUser() {
        final ItemFactorMatrix matrix = new ItemFactorMatrix(3);
        final List<RankedItems> results = new TopNScorer().topN(matrix, nCopies(UserQuery.of(new float[3]), 30));
        assertThat(results).hasSize(30).allSatisfy(result -> assertThat(result.size()).isZero());
    }

    @Test
    void excludedInactiveAndRemovedItemsAreNeverReturned() {
        final ItemFactorMatrix matrix = new ItemFactorMatrix(1);
        for (int i = 0; i < 10; i++) {
            matrix.upsert("i" + i, new float[] {i}, 0f, 1);
        }
        matrix.setActive("i9", false);
        matrix.remove("i8");
        final UserQuery user = UserQuery.excluding(matrix, new float[] {1}, List.of("i7", "unknown", "i5"));

        final RankedItems top = new TopNScorer(3).topN(matrix, user);

        assertThat(top.itemIds(matrix)).containsExactly("i6", "i4", "i3");
        assertThat(new TopNScorer(3).topN(matrix, nCopies(user, 9)).get(0)).isEqualTo(top);
    }

    @Test
    void aRowWithNaNFactorsIsNeverRecommended() {
        final ItemFactorMatrix matrix = new ItemFactorMatrix(1);
        matrix.upsert("broken", new float[] {Float.NaN}, 0f, 1);
        matrix.upsert("fine", new float[] {-1}, 0f, 1);

        assertThat(new TopNScorer(5).topN(matrix, UserQuery.of(new float[] {1})).itemIds(matrix)).containsExactly("fine");
        assertThat(new TopNScorer(5).topN(matrix, nCopies(UserQuery.of(new float[] {1}), 10)).get(3).itemIds(matrix))
                .containsExactly("fine");
    }

    @Test
    void resultsCarryTheModelVersionReadBeforeScoring() {
        final ItemFactorMatrix matrix = new ItemFactorMatrix(1);
        matrix.upsert("a", new float[] {1}, 0f, 4);
        matrix.upsert("b", new float[] {1}, 0f, 6);
        assertThat(new TopNScorer().topN(matrix, UserQuery.of(new float[] {1})).modelVersion()).isEqualTo(10);
    }

    @Test
    void invalidQueriesAreRejected() {
        final ItemFactorMatrix matrix = new ItemFactorMatrix(2);
        assertThatThrownBy(() -> new TopNScorer(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopNScorer().topN(matrix, UserQuery.of(new float[3])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank is 2");
        assertThatThrownBy(() -> new UserQuery(new float[2], new int[] {3, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ascending");
    }

    private static List<UserQuery> nCopies(final UserQuery user, final int count) {
        final List<UserQuery> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(user);
        }
        return users;
    }
}
