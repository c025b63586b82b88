package dev.streamrec.service.items;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamrec.schemas.ItemFactors;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatrixItemVectorsTest {
    private static final Duration HALF_LIFE = Duration.ofHours(1);

    static ItemFactors item(final String id, final long updates, final float bias, final Float... factors) {
        return ItemFactors.newBuilder().setItemId(id).setFactors(List.of(factors)).setBias(bias).setVersion(updates)
                .setUpdateCount(updates * 9L).setPositiveCount(updates).setUpdatedAt(Instant.EPOCH).build();
    }

    @Test
    void similarItemsAreCosineNeighboursNearestFirstWithoutTheItemItself() {
        final MatrixItemVectors vectors = new MatrixItemVectors(2, 0, HALF_LIFE);
        vectors.upsert(item("a", 1, 0, 1f, 0f));
        vectors.upsert(item("same-direction", 1, 0, 3f, 0f));
        vectors.upsert(item("diagonal", 1, 0, 1f, 1f));
        vectors.upsert(item("opposite", 1, 0, -1f, 0f));
        final List<ScoredItem> similar = vectors.similar("a", 2).orElseThrow();
        assertThat(similar).extracting(ScoredItem::itemId).containsExactly("same-direction", "diagonal");
        assertThat(similar.get(0).score()).isCloseTo(1.0, within(1e-6));
        assertThat(similar.get(1).score()).isCloseTo(Math.sqrt(0.5), within(1e-6));
    }

    /** Unknown is unknown (404), with or without items: the matrix exists before the first record. */
    @Test
    void unknownAndRemovedItemsHaveNoNeighbours() {
        final MatrixItemVectors vectors = new MatrixItemVectors(2, 0, HALF_LIFE);
        assertThat(vectors.similar("a", 5)).isEmpty();
        assertThat(vectors.size()).isZero();
        vectors.upsert(item("a", 1, 0, 1f, 0f));
        vectors.upsert(item("b", 1, 0, 1f, 0f));
        vectors.remove("b");
        assertThat(vectors.similar("b", 5)).isEmpty();
        assertThat(vectors.similar("a", 5).orElseThrow()).isEmpty();
    }

    /**
     * Values no item stage writes: the record is refused whole (false: the caller does not store
     * it) and the item keeps its vector and its place in the popular list.
     */
    @Test
    void anUnusableRecordIsRefusedAndTheItemKeepsWhatItHad() {
        final MatrixItemVectors vectors = new MatrixItemVectors(2, 0, HALF_LIFE);
        assertThat(vectors.upsert(item("a", 3, 0, 1f, 0f))).isTrue();
        assertThat(vectors.upsert(item("b", 2, 0, 1f, 1f))).isTrue();
        final List<ItemFactors> unusable = List.of(
                item("a", 4, 0, Float.NaN, 0f),
                item("a", 4, Float.POSITIVE_INFINITY, 1f, 0f),
                ItemFactors.newBuilder(item("a", 4, 0, 0f, 1f)).setPositiveCount(-1).build(),
                ItemFactors.newBuilder(item("a", 4, 0, 0f, 1f)).setTrendingScore(Double.NaN).build(),
                ItemFactors.newBuilder(item("a", 4, 0, 0f, 1f)).setTrendingScore(-2.0).build(),
                // Trending times no item stage writes: centuries ahead, and before the epoch.
                ItemFactors.newBuilder(item("a", 4, 0, 0f, 1f)).setTrendingScore(0.001)
                        .setTrendingAt(Instant.parse("2999-01-01T00:00:00Z")).build(),
                ItemFactors.newBuilder(item("a", 4, 0, 0f, 1f)).setTrendingScore(1.0)
                        .setTrendingAt(Instant.ofEpochMilli(Long.MIN_VALUE)).build());
        for (final ItemFactors bad : unusable) {
            assertThat(vectors.upsert(bad)).as(bad.toString()).isFalse();
        }
        assertThat(vectors.similar("b", 1).orElseThrow()).singleElement()
                .satisfies(a -> assertThat(a.score()).isCloseTo(Math.sqrt(0.5), within(1e-6)));
        assertThat(vectors.popular(2)).extracting(ScoredItem::itemId).containsExactly("a", "b");
    }

    /**
     * One record valued centuries ahead moved the shared reference time of the decayed counts so
     * far that every other count underflowed: the whole list ranked NaNs, on every instance.
     */
    @Test
    void aTrendingTimeFarAheadDoesNotSpoilTheOtherItemsScores() {
        final MatrixItemVectors vectors = new MatrixItemVectors(1, 0, HALF_LIFE);
        final long now = System.currentTimeMillis();
        vectors.upsert(ItemFactors.newBuilder(item("hit", 100, 0, 1f)).setTrendingScore(50.0)
                .setTrendingAt(Instant.ofEpochMilli(now)).build());
        vectors.upsert(ItemFactors.newBuilder(item("foreign", 1, 0, 1f)).setTrendingScore(0.001)
                .setTrendingAt(Instant.parse("2999-01-01T00:00:00Z")).build());
        vectors.upsert(ItemFactors.newBuilder(item("warm", 10, 0, 1f)).setTrendingScore(5.0)
                .setTrendingAt(Instant.ofEpochMilli(now)).build());

        final List<ScoredItem> popular = vectors.popular(5);
        assertThat(popular).extracting(ScoredItem::itemId).containsExactly("hit", "warm");
        assertThat(popular).extracting(ScoredItem::score).allSatisfy(score -> assertThat(score).isFinite().isPositive());
    }

    @Test
    void vectorsOfAnotherSizeAreSkippedNotFatal() {
        final MatrixItemVectors vectors = new MatrixItemVectors(2, 0, HALF_LIFE);
        vectors.upsert(item("a", 1, 0, 1f, 0f));
        vectors.upsert(item("wrong-size", 1, 0, 1f, 0f, 0f));
        assertThat(vectors.similar("wrong-size", 5)).isEmpty();
        assertThat(vectors.similar("a", 5)).hasValue(List.of());
        assertThat(vectors.size()).isEqualTo(1);
        assertThat(vectors.skippedForSize()).isEqualTo(1);
    }

    /**
     * The configured size holds whatever the first record is: after a {@code model.rank} change
     * old-size records come first on the topic (they are older), and the new-size ones must count.
     */
    @Test
    void aVectorOfAnotherSizeReadFirstDoesNotSetTheSize() {
        final MatrixItemVectors vectors = new MatrixItemVectors(2, 0, HALF_LIFE);
        vectors.upsert(item("not-stepped-since", 4, 0, 1f, 0f, 0f));
        vectors.upsert(item("a", 1, 0, 1f, 0f));
        vectors.upsert(item("b", 1, 0, 1f, 1f));
        assertThat(vectors.similar("a", 5).orElseThrow()).extracting(ScoredItem::itemId).containsExactly("b");
        assertThat(vectors.skippedForSize()).isEqualTo(1);

        vectors.upsert(item("not-stepped-since", 5, 0, 1f, 0.1f));
        assertThat(vectors.skippedForSize()).as("stepped again, at the configured size").isZero();
        assertThat(vectors.similar("a", 5).orElseThrow()).extracting(ScoredItem::itemId)
                .containsExactly("not-stepped-since", "b");
    }

    /**
     * Last write wins, as on the compacted topic: an item whose latest record has another size has
     * no vector of the configured size any more, so it is neither answered for nor in others' lists.
     */
    @Test
    void aVectorOfAnotherSizeReplacesTheItemsEarlierOne() {
        final MatrixItemVectors vectors = new MatrixItemVectors(2, 0, HALF_LIFE);
        vectors.upsert(item("a", 1, 0, 1f, 0f));
        vectors.upsert(item("b", 1, 0, 1f, 1f));
        vectors.upsert(item("b", 2, 0, 1f, 1f, 0f));
        assertThat(vectors.similar("b", 5)).isEmpty();
        assertThat(vectors.similar("a", 5)).hasValue(List.of());
        assertThat(vectors.skippedForSize()).isEqualTo(1);

        vectors.remove("b");
        assertThat(vectors.skippedForSize()).as("a tombstone forgets the item").isZero();
    }

    @Test
    void theSkippedCountIsAGaugeOnTheRegistry() {
        final MatrixItemVectors vectors = new MatrixItemVectors(2, 0, HALF_LIFE);
        final MeterRegistry registry = new SimpleMeterRegistry();
        new ItemVectorsMetrics(vectors).bindTo(registry);
        final Gauge skipped = registry.get("streamrec.item.vectors.skipped").gauge();
        assertThat(skipped.value()).isZero();
        vectors.upsert(item("old-size", 1, 0, 1f));
        assertThat(skipped.value()).as("read at scrape time").isEqualTo(1.0);
    }

    /**
     * After a {@code model.rank} change the items that keep being used are the ones that publish
     * vectors of the new size first: left out of the popular list, they would leave cold-start
     * lists to the items nobody uses any more.
     */
    @Test
    void anItemWhoseVectorHasAnotherRankStillCountsForPopularity() {
        final MatrixItemVectors vectors = new MatrixItemVectors(3, 0, HALF_LIFE);
        vectors.upsert(item("old-rank", 3, 0, 1f, 0f));
        vectors.upsert(item("relearned", 7, 0, 1f, 0f, 0f));
        assertThat(vectors.popular(2)).extracting(ScoredItem::itemId).containsExactly("relearned", "old-rank");
    }

    /** Records from before the decayed count was published (score 0 each): lifetime positives, bias, id. */
    @Test
    void withoutDecayedCountsPopularityRanksByPositiveCountThenBiasThenId() {
        final MatrixItemVectors vectors = new MatrixItemVectors(1, 0, HALF_LIFE);
        vectors.upsert(item("few", 2, 5f, 1f));
        vectors.upsert(item("many", 9, 0f, 1f));
        vectors.upsert(item("tie-low-bias", 5, 0.1f, 1f));
        vectors.upsert(item("tie-high-bias", 5, 0.2f, 1f));
        vectors.upsert(item("tie-high-bias-b", 5, 0.2f, 1f));
        assertThat(vectors.popular(10)).extracting(ScoredItem::itemId)
                .containsExactly("many", "tie-high-bias", "tie-high-bias-b", "tie-low-bias", "few");
        assertThat(vectors.popular(2)).extracting(ScoredItem::score).containsExactly(0.0, 0.0);
        vectors.remove("many");
        assertThat(vectors.popular(1)).extracting(ScoredItem::itemId).containsExactly("tie-high-bias");
    }

    /** The published decayed count ranks first: ten half-lives old, 1,000 lifetime positives lose to 3 recent ones. */
    @Test
    void popularityRanksByTheDecayedCountTheItemStagePublishes() {
        final MatrixItemVectors vectors = new MatrixItemVectors(1, 0, HALF_LIFE);
        final Instant recent = Instant.now();
        vectors.upsert(ItemFactors.newBuilder(item("all-time-hit", 1_000, 0f, 1f)).setTrendingScore(500.0)
                .setTrendingAt(recent.minus(HALF_LIFE.multipliedBy(10))).build());
        vectors.upsert(ItemFactors.newBuilder(item("riser", 3, 0f, 1f)).setTrendingScore(2.0)
                .setTrendingAt(recent).build());
        assertThat(vectors.popular(10)).extracting(ScoredItem::itemId).containsExactly("riser", "all-time-hit");
    }
}
