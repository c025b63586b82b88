package dev.streamrec.updater.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamrec.schemas.ItemUpdate;
import dev.streamrec.schemas.StepKind;
import dev.streamrec.updater.model.Hyperparameters;
import org.junit.jupiter.api.Test;

class ItemStageTest {
    private final Hyperparameters hyperparameters = Hyperparameters.defaults().toBuilder()
            .rank(4).factorRegularization(0f).stalenessTolerance(2).build();
    private final ItemStage stage = new ItemStage(hyperparameters);

    private ItemUpdate update(final long readVersion, final boolean positive) {
        final float[] user = new float[hyperparameters.rank()];
        java.util.Arrays.fill(user, 0.5f);
        return ItemUpdate.newBuilder().setItemId("i").setKind(StepKind.INTERACTION).setUserFactors(Conversions.list(user))
                .setGradientScale(1f).setPositive(positive).setReadVersion(readVersion).build();
    }

    private ItemState atVersion(final long version) {
        final ItemState item = stage.apply("i", update(-1, false), ItemStage.initializer().apply());
        return new ItemState(item.factors(), item.bias(), item.interactionBias(), item.ratingCount(),
                item.positiveCount(), version, item.updateCount(), item.updatedAtMillis());
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
    void aStepThatMissedMoreUpdatesThanTheToleranceIsDampedByItsStaleness() {
        final ItemState current = atVersion(10);
        final double fresh = change(current, stage.apply("i", update(10, false), current));
        final double twoBehind = change(current, stage.apply("i", update(8, false), current));
        final double eightBehind = change(current, stage.apply("i", update(2, false), current));
        assertThat(fresh).isPositive();
        assertThat(twoBehind).as("within the tolerance of 2").isCloseTo(fresh, within(1e-7));
        assertThat(eightBehind).as("tolerance / staleness = 2/8").isCloseTo(fresh / 4, within(fresh * 1e-3));
    }

    @Test
    void theFirstStepOfAnItemStartsFromItsDeterministicInitialFactors() {
        final ItemState a = stage.apply("i", update(-1, false), ItemStage.initializer().apply());
        final ItemState b = stage.apply("i", update(-1, false), ItemStage.initializer().apply());
        assertThat(a.factors()).isEqualTo(b.factors());
        assertThat(a.factors()).isNotEqualTo(stage.apply("j", update(-1, false), ItemStage.initializer().apply()).factors());
    }
}
