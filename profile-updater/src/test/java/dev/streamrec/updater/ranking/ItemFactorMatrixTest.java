package dev.streamrec.updater.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class ItemFactorMatrixTest {

    @Test
    void newItemsAppendRowsInArrivalOrderAndUpsertsRewriteInPlace() {
        final ItemFactorMatrix matrix = new ItemFactorMatrix(3);
        assertThat(matrix.upsert("a", new float[] {1, 2, 2}, 0.5f, 1)).isZero();
        assertThat(matrix.upsert("b", new float[] {0, 0, 1}, -1f, 1)).isEqualTo(1);

        final float[] updated = {3, 0, 4};
        assertThat(matrix.upsert("a", updated, 0.25f, 2)).isZero();
        updated[0] = 99; // the matrix keeps its own copy

        assertThat(matrix.size()).isEqualTo(2);
        assertThat(matrix.rowOf("a")).isZero();
        assertThat(matrix.rowOf("b")).isEqualTo(1);
        assertThat(matrix.rowOf("nope")).isEqualTo(-1);
        assertThat(matrix.itemIdAt(1)).isEqualTo("b");
        assertThat(matrix.factorsAt(0)).containsExactly(3, 0, 4);
        assertThat(matrix.biasAt(0)).isEqualTo(0.25f);
        assertThat(matrix.normAt(0)).isEqualTo(5f);
        assertThat(matrix.versionAt(0)).isEqualTo(2);
        assertThat(matrix.modelVersion()).as("sum of latest versions: 2 + 1").isEqualTo(3);
    }

    @Test
    void cosineOfTwoRowsIsReadInPlace() {
        final ItemFactorMatrix matrix = new ItemFactorMatrix(3);
        matrix.upsert("a", new float[] {3, 0, 4}, 0f, 1);
        matrix.upsert("b", new float[] {0, 0, 2}, 0f, 1);
        matrix.upsert("c", new float[] {-3, 0, -4}, 0f, 1);
        matrix.upsert("zero", new float[] {0, 0, 0}, 0f, 1);

        assertThat(matrix.cosine(0, 1)).isCloseTo(0.8f, within(1e-6f));
        assertThat(matrix.cosine(0, 2)).isCloseTo(-1f, within(1e-6f));
        assertThat(matrix.cosine(0, 0)).isCloseTo(1f, within(1e-6f));
        assertThat(matrix.cosine(0, 3)).as("an all-zero row is similar to nothing").isZero();
        assertThatThrownBy(() -> matrix.cosine(0, 4)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void growingFromCapacityOneKeepsEveryRowAndTheIdIndex() {
        final ItemFactorMatrix matrix = new ItemFactorMatrix(2, 1);
        final int items = 10_000;
        for (int i = 0; i < items; i++) {
            matrix.upsert("item-" + i, new float[] {i, -i}, i * 0.5f, i);
        }

        assertThat(matrix.size()).isEqualTo(items);
        assertThat(matrix.capacity()).isGreaterThanOrEqualTo(items).isLessThan(items * 2);
        for (int i = 0; i < items; i++) {
            assertThat(matrix.rowOf("item-" + i)).isEqualTo(i);
            assertThat(matrix.factorsAt(i)).containsExactly(i, -i);
            assertThat(matrix.biasAt(i)).isEqualTo(i * 0.5f);
        }
        assertThat(matrix.modelVersion()).isEqualTo((long) items * (items - 1) / 2);

        matrix.trimToSize();
        assertThat(matrix.capacity()).isEqualTo(items);
        matrix.ensureCapacity(items + 500);
        assertThat(matrix.capacity()).isEqualTo(items + 500);
        assertThat(matrix.upsert("one-more", new float[] {1, 1}, 0f, 0)).isEqualTo(items);
        assertThat(matrix.capacity()).as("no growth needed").isEqualTo(items + 500);
        assertThat(matrix.rowOf("item-9999")).isEqualTo(9999);
        assertThat(matrix.rowOf("one-more")).isEqualTo(items);
        assertThat(matrix.factorsAt(9999)).containsExactly(9999, -9999);
    }

    @Test
    void catalogDeactivationAndFactorRemovalControlScorability() {
        final ItemFactorMatrix matrix = new ItemFactorMatrix(1);
        final int row = matrix.upsert("a", new float[] {1}, 0f, 5);
        assertThat(matrix.isScorable(row)).isTrue();

        matrix.setActive("a", false);
        assertThat(matrix.isScorable(row)).isFalse();
        assertThat(matrix.isActive(row)).isFalse();
        matrix.setActive("a", true);
        assertThat(matrix.isScorable(row)).isTrue();

        assertThat(matrix.remove("a")).isTrue();
        assertThat(matrix.isScorable(row)).isFalse();
        assertThat(matrix.modelVersion()).isZero();
        assertThat(matrix.remove("a")).as("already removed").isFalse();
        assertThat(matrix.remove("never-seen")).isFalse();

        assertThat(matrix.upsert("a", new float[] {2}, 0f, 7)).as("a removed item keeps its row").isEqualTo(row);
        assertThat(matrix.isScorable(row)).isTrue();
        assertThat(matrix.modelVersion()).isEqualTo(7);
    }

    @Test
    void inactiveFlagArrivingBeforeTheFirstFactorsIsRemembered() {
        final ItemFactorMatrix matrix = new ItemFactorMatrix(1);
        assertThat(matrix.setActive("unknown-but-active", true)).as("nothing to remember").isEqualTo(-1);
        assertThat(matrix.size()).isZero();

        final int row = matrix.setActive("later", false);
        assertThat(row).isZero();
        assertThat(matrix.isScorable(row)).isFalse();
        assertThat(matrix.modelVersion()).isZero();

        assertThat(matrix.upsert("later", new float[] {1}, 0f, 3)).isEqualTo(row);
        assertThat(matrix.isScorable(row)).as("still inactive in the catalog").isFalse();
        matrix.setActive("later", true);
        assertThat(matrix.isScorable(row)).isTrue();
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThatThrownBy(() -> new ItemFactorMatrix(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ItemFactorMatrix(4, 0)).isInstanceOf(IllegalArgumentException.class);
        final ItemFactorMatrix matrix = new ItemFactorMatrix(2);
        assertThatThrownBy(() -> matrix.upsert("a", new float[3], 0f, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank is 2");
        assertThatThrownBy(() -> matrix.itemIdAt(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    /**
     * One writer appends and rewrites rows (forcing many growths from capacity 1) while readers
     * score, look up ids and read rows. Readers must never throw, and every list must be
     * well formed: at most N distinct rows that existed, never an item that was inactive from
     * before its first factors, scores non-increasing.
     */
    @Test
    void readersScoringWhileTheWriterAppendsAndRewritesNeverFailAndSeeWellFormedResults() throws Exception {
        final int rank = 8;
        final int items = 20_000;
        final ItemFactorMatrix matrix = new ItemFactorMatrix(rank, 1);
        final AtomicBoolean writerDone = new AtomicBoolean();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong listsChecked = new AtomicLong();
        final CountDownLatch readersStarted = new CountDownLatch(3);

        final List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            final int readerIndex = r;
            readers.add(new Thread(() -> {
                final SplittableRandom random = new SplittableRandom(100 + readerIndex);
                final TopNScorer scorer = new TopNScorer(10);
                readersStarted.countDown();
                try {
                    do {
                        readAndCheck(matrix, scorer, random, rank, listsChecked);
                    } while (!writerDone.get());
                    readAndCheck(matrix, scorer, random, rank, listsChecked);
                } catch (final Throwable failure) {
                    failures.add(failure);
                }
            }, "reader-" + r));
        }
        readers.forEach(Thread::start);
        assertThat(readersStarted.await(10, TimeUnit.SECONDS)).isTrue();

        final SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < items; i++) {
            final String id = "item-" + i;
            if (i % 10 == 0) {
                matrix.setActive(id, false); // inactive before its factors: must never be recommended
            }
            matrix.upsert(id, RandomMatrices.factors(random, rank, false), 0f, 1);
            // Rewrite an existing row too, as SGD updates do.
            final int existing = random.nextInt(i + 1);
            matrix.upsert("item-" + existing, RandomMatrices.factors(random, rank, false), 0f, 2);
            if (i % 2_000 == 0) {
                awaitMoreReads(listsChecked, failures);
            }
        }
        writerDone.set(true);
        for (final Thread reader : readers) {
            reader.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(reader.isAlive()).as("reader finished").isFalse();
        }

        assertThat(failures).isEmpty();
        assertThat(listsChecked.get()).isGreaterThan(0);
        assertThat(matrix.size()).isEqualTo(items);
    }

    /** Makes reads interleave with writes at every checkpoint, however the threads get scheduled. */
    private static void awaitMoreReads(final AtomicLong listsChecked, final ConcurrentLinkedQueue<Throwable> failures) {
        final long target = listsChecked.get() + 3;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (listsChecked.get() < target && failures.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("readers checked no 3 more lists within 30 s (at " + listsChecked.get() + ")");
            }
            // Parked, not spinning: on a 2-core machine the writer's spin would take the readers' CPU.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static void readAndCheck(final ItemFactorMatrix matrix, final TopNScorer scorer, final SplittableRandom random,
                                     final int rank, final AtomicLong listsChecked) {
        final int batch = random.nextBoolean() ? 1 : 20;
        final List<UserQuery> users = new ArrayList<>();
        for (int u = 0; u < batch; u++) {
            users.add(UserQuery.of(RandomMatrices.factors(random, rank, false)));
        }
        final List<RankedItems> lists = scorer.topN(matrix, users);
        final int sizeAfter = matrix.size();
        for (final RankedItems list : lists) {
            assertThat(list.size()).isLessThanOrEqualTo(10);
            assertThat(list.rows()).doesNotHaveDuplicates();
            for (final int row : list.rows()) {
                assertThat(row).isBetween(0, sizeAfter - 1);
                assertThat(Integer.parseInt(matrix.itemIdAt(row).substring(5)) % 10).isNotZero();
            }
            final float[] scores = list.scores();
            for (int i = 1; i < scores.length; i++) {
                assertThat(scores[i]).isLessThanOrEqualTo(scores[i - 1]);
            }
            listsChecked.incrementAndGet();
        }
        if (sizeAfter > 0) {
            final int row = random.nextInt(sizeAfter);
            final String id = matrix.itemIdAt(row);
            assertThat(id).isEqualTo("item-" + row);
            assertThat(matrix.rowOf(id)).isEqualTo(row);
            assertThat(matrix.factorsAt(row)).hasSize(rank);
        }
    }
}
