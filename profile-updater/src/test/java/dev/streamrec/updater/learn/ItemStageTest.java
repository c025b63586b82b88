package dev.streamrec.updater.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamrec.schemas.ItemUpdate;
import dev.streamrec.schemas.StepKind;
import dev.streamrec.updater.model.DecayedCount;
import dev.streamrec.updater.model.Hyperparameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ItemStageTest {
    private final Hyperparameters hyperparameters = Hyperparameters.defaults().toBuilder()
            .rank(4).factorRegularization(0f).stalenessTolerance(2).build();
    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_780_000_000_000L;
    private final ItemStage stage = new ItemStage(hyperparameters, Duration.ofHours(1), PublishedItems.NONE);

    private ItemUpdate update(final long readVersion, final boolean positive) {
        return update(readVersion, positive, T0);
    }

    private ItemUpdate update(final long readVersion, final boolean positive, final long recordTime) {
        final float[] user = new float[hyperparameters.rank()];
        java.util.Arrays.fill(user, 0.5f);
        return ItemUpdate.newBuilder().setItemId("i").setKind(StepKind.INTERACTION).setUserFactors(Conversions.list(user))
                .setGradientScale(1f).setPositive(positive).setReadVersion(readVersion).setRecordTime(recordTime).build();
    }

    private ItemState atVersion(final long version) {
        final ItemState item = stage.apply("i", update(-1, false), ItemStage.initializer().apply());
        return new ItemState(item.factors(), item.bias(), item.interactionBias(), item.ratingCount(),
                item.positiveCount(), version, item.updateCount(), item.updatedAtMillis(), item.trending());
    }

    /** Publishes {@code state} for every item and records which items had it read whole. */
    private static PublishedItems publishing(final ItemState state, final List<String> readWhole) {
        return new PublishedItems() {
            @Override
            public ItemState published(final String itemId) {
                readWhole.add(itemId);
                return state;
            }

            @Override
            public long publishedVersion(final String itemId) {
                return state.version();
            }
        };
    }

    private static double change(final ItemState before, final ItemState after) {
        double sum = 0;
        for (int k = 0; k < before.factors().length; k++) {
            final double d = after.factors()[k] - before.factors()[k];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    @Test
    void countsVersionsUpdatesAndPositives() {
        final ItemState first = stage.apply("i", update(-1, true), ItemStage.initializer().apply());
        final float[] firstFactors = first.factors().clone();
        final ItemState second = stage.apply("i", update(1, false), first);
        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        assertThat(second.updateCount()).isEqualTo(2);
        assertThat(second.positiveCount()).isEqualTo(1);
        assertThat(second.factors()).hasSize(hyperparameters.dimensions());
        assertThat(first.factors()).as("the step works on a copy, the state it read is unchanged").isEqualTo(firstFactors);
    }

    @Test
    void positivesAddToTheDecayedTrendingCountInRecordTimeAndNegativesDoNot() {
        ItemState item = ItemStage.initializer().apply();
        item = stage.apply("i", update(-1, true, T0), item);
        item = stage.apply("i", update(1, false, T0 + 5 * HOUR), item);
        assertThat(item.trending()).as("a negative counts nothing").isEqualTo(new DecayedCount(1.0, T0));
        item = stage.apply("i", update(2, true, T0 + HOUR), item);
        assertThat(item.trending()).isEqualTo(new DecayedCount(1.5, T0 + HOUR));
        item = stage.apply("i", update(3, true, T0), item); // out of order: valued at the later time
        assertThat(item.trending().atMillis()).isEqualTo(T0 + HOUR);
        assertThat(item.trending().score()).isCloseTo(2.0, within(1e-12));
        item = stage.apply("i", update(4, true, 0), item); // from a user stage older than recordTime
        assertThat(item.positiveCount()).isEqualTo(4);
        assertThat(item.trending().score()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void aStepThatMissedMoreUpdatesThanTheToleranceIsDampedByItsStaleness() {
        final ItemState current = atVersion(10);
        final double fresh = change(current, stage.apply("i", update(10, false), current));
        final double twoBehind = change(current, stage.apply("i", update(8, false), current));
        final double eightBehind = change(current, stage.apply("i", update(2, false), current));
        assertThat(fresh).isPositive();
        assertThat(twoBehind).as("within the tolerance of 2").isCloseTo(fresh, within(1e-7));
        assertThat(eightBehind).as("tolerance / staleness = 2/8").isCloseTo(fresh / 4, within(fresh * 1e-3));
    }

    /**
     * A state stored before {@code model.rank} (or {@code model.sharing}) changed: its factors
     * have another length than the model's. Read as they are, a shorter vector throws on every
     * step to the item and a longer one is misread (and republished at its old length).
     */
    @ParameterizedTest(name = "{0} factors more than the model has")
    @ValueSource(ints = {4, -2})
    void aStoredStateOfAnotherModelSizeStartsAfreshButKeepsItsVersionAndCountsGoing(final int extra) {
        final DecayedCount trending = new DecayedCount(3.0, T0 - HOUR);
        final float[] stored = new float[hyperparameters.dimensions() + extra];
        java.util.Arrays.fill(stored, 0.3f);
        final ItemState old = new ItemState(stored, 0.7f, 0.6f, 12L, 5L, 40L, 41L, T0 - HOUR, trending);

        final ItemState after = stage.apply("i", update(40, true, T0), old);

        // What the same step makes of a new item, but the version and the counts go on.
        final ItemState fresh = stage.apply("i", update(40, true, T0), ItemStage.initializer().apply());
        assertThat(after.factors()).hasSize(hyperparameters.dimensions()).containsExactly(fresh.factors());
        assertThat(after.interactionBias()).isEqualTo(fresh.interactionBias());
        assertThat(after.bias()).isEqualTo(fresh.bias());
        assertThat(after.ratingCount()).as("the warm-up starts again with the factors").isEqualTo(fresh.ratingCount());
        assertThat(after.version()).as("above what every instance holds, so it is applied").isEqualTo(41);
        assertThat(after.updateCount()).isEqualTo(42);
        assertThat(after.positiveCount()).isEqualTo(6);
        assertThat(after.trending()).isEqualTo(trending.plus(1.0, T0, HOUR));
    }

    /**
     * A step sent by a user stage of another {@code model.rank}: in flight on the repartition topic
     * across a restart with a new rank, or from an instance not yet restarted during a rolling
     * change. Its user vector cannot be applied to factors of this rank.
     */
    @Test
    void aStepFromAUserStageOfAnotherRankLeavesTheItemAsItWas() {
        final ItemState current = atVersion(7);
        final float[] before = current.factors().clone();
        final ItemUpdate wider = ItemUpdate.newBuilder(update(7, true))
                .setUserFactors(Conversions.list(new float[hyperparameters.rank() + 2])).build();

        final ItemState after = stage.apply("i", wider, current);

        assertThat(after.version()).isEqualTo(7);
        assertThat(after.positiveCount()).isEqualTo(current.positiveCount());
        assertThat(after.factors()).containsExactly(before);
        assertThat(stage.apply("i", update(7, true), after).version()).as("the next step of this rank applies")
                .isEqualTo(8);
    }

    /**
     * The store has nothing for an item that {@code model.item-factors} holds (an application
     * reset, a new {@code application.id}): started at version 1, every record would be rejected
     * by the global updaters as older than the published one.
     */
    @Test
    void anItemTheStoreHasNothingForGoesOnFromItsPublishedStateAndVersion() {
        final float[] factors = new float[hyperparameters.dimensions()];
        java.util.Arrays.fill(factors, 0.3f);
        final DecayedCount trending = new DecayedCount(3.0, T0 - HOUR);
        final ItemState published = new ItemState(factors, 0.7f, 0.6f, 12L, 5L, 40L, 44L, 0L, trending);
        final List<String> lookedUp = new ArrayList<>();
        final ItemStage warm = new ItemStage(hyperparameters, Duration.ofHours(1), publishing(published, lookedUp));

        final ItemState first = warm.apply("i", update(40, true, T0), ItemStage.initializer().apply());

        // What the same step makes of the published state had the store held it.
        final ItemState asIfStored = stage.apply("i", update(40, true, T0), published);
        assertThat(first.factors()).containsExactly(asIfStored.factors());
        assertThat(first.factors()).isNotEqualTo(factors);
        assertThat(factors).as("the published factors are not written").containsOnly(0.3f);
        assertThat(first.bias()).isEqualTo(asIfStored.bias());
        assertThat(first.interactionBias()).isEqualTo(asIfStored.interactionBias());
        assertThat(first.ratingCount()).isEqualTo(12);
        assertThat(first.version()).as("one above the published version, so every instance takes it").isEqualTo(41);
        assertThat(first.updateCount()).isEqualTo(45);
        assertThat(first.positiveCount()).isEqualTo(6);
        assertThat(first.trending()).isEqualTo(trending.plus(1.0, T0, HOUR));

        final ItemState second = warm.apply("i", update(41, false, T0), first);
        assertThat(second.version()).isEqualTo(42);
        assertThat(lookedUp).as("only the step that found the store empty read the published item whole").containsExactly("i");
    }

    /**
     * The store holds the item at an older version than {@code model.item-factors} (a changelog
     * write lost under at-least-once, a state directory from an older run): from the stored
     * version, every record would be rejected by the global updaters until the item's steps passed
     * the published version.
     */
    @Test
    void aStoreBehindThePublishedVersionGoesOnFromThePublishedStateAndOneAheadDoesNot() {
        final float[] factors = new float[hyperparameters.dimensions()];
        java.util.Arrays.fill(factors, 0.3f);
        final ItemState published = new ItemState(factors, 0.7f, 0.6f, 12L, 5L, 40L, 44L, 0L, DecayedCount.NONE);
        final List<String> readWhole = new ArrayList<>();
        final ItemStage warm = new ItemStage(hyperparameters, Duration.ofHours(1), publishing(published, readWhole));

        final ItemState behind = atVersion(10);
        final ItemState fromBehind = warm.apply("i", update(10, true), behind);
        assertThat(fromBehind.version()).as("one above the published version, so every instance takes it").isEqualTo(41);
        assertThat(fromBehind.factors()).containsExactly(stage.apply("i", update(10, true), published).factors());
        assertThat(fromBehind.updateCount()).isEqualTo(45);

        final ItemState ahead = atVersion(50);
        final ItemState fromAhead = warm.apply("i", update(50, true), ahead);
        assertThat(fromAhead.version()).isEqualTo(51);
        assertThat(fromAhead.factors()).containsExactly(stage.apply("i", update(50, true), ahead).factors());
        assertThat(readWhole).as("the whole published state is read only for the store that was behind")
                .containsExactly("i");
    }

    @Test
    void theFirstStepOfAnItemStartsFromItsDeterministicInitialFactors() {
        final ItemState a = stage.apply("i", update(-1, false), ItemStage.initializer().apply());
        final ItemState b = stage.apply("i", update(-1, false), ItemStage.initializer().apply());
        assertThat(a.factors()).isEqualTo(b.factors());
        assertThat(a.factors()).isNotEqualTo(stage.apply("j", update(-1, false), ItemStage.initializer().apply()).factors());
    }
}
