package dev.streamrec.updater.ranking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The refresher never blocks a reader, indexes only large catalogues and rebuilds stale indexes. */
class ClusterIndexRefresherTest {

    private final AtomicLong clock = new AtomicLong();

    @Test
    void smallCataloguesAreScoredExactly() {
        final ItemFactorMatrix matrix = ClusteredTopNScorerTest.plantedCatalogue(new SplittableRandom(1L), 99, 4, 4);
        try (ClusterIndexRefresher refresher = new ClusterIndexRefresher(matrix, 100, Duration.ofSeconds(30), clock::get)) {
            assertThat(refresher.current()).isNull();
            clock.addAndGet(Duration.ofHours(1).toNanos());
            assertThat(refresher.current()).isNull();
        }
    }

    @Test
    void aLargeCatalogueIsIndexedInTheBackgroundAndRebuiltWhenOldOrOutgrown() throws InterruptedException {
        final SplittableRandom random = new SplittableRandom(2L);
        final ItemFactorMatrix matrix = ClusteredTopNScorerTest.plantedCatalogue(random, 400, 4, 4);
        try (ClusterIndexRefresher refresher = new ClusterIndexRefresher(matrix, 100, Duration.ofSeconds(30), clock::get)) {
            assertThat(refresher.current()).as("first call: nothing built yet, score exactly").isNull();
            final ClusterIndex first = awaitIndexOtherThan(refresher, null);
            assertThat(first.indexedRows()).isEqualTo(400);
            assertThat(first.clusters()).isEqualTo(ClusterIndex.defaultClusters(400));
            assertThat(refresher.current()).as("fresh: kept").isSameAs(first);

            clock.addAndGet(Duration.ofSeconds(30).toNanos());
            final ClusterIndex second = awaitIndexOtherThan(refresher, first);
            assertThat(second.indexedRows()).isEqualTo(400);

            for (int i = 0; i < 41; i++) { // more than a tenth of the indexed rows appended
                matrix.upsert("late" + i, RandomMatrices.factors(random, 4, false), 0f, 1);
            }
            final ClusterIndex third = awaitIndexOtherThan(refresher, second);
            assertThat(third.indexedRows()).isEqualTo(441);
        }
    }

    /** Polls {@code current()} (which starts the rebuild) until it answers a different index. */
    private static ClusterIndex awaitIndexOtherThan(final ClusterIndexRefresher refresher, final ClusterIndex previous)
            throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            final ClusterIndex current = refresher.current();
            if (current != null && current != previous) {
                return current;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no new index within 30 s");
    }
}
