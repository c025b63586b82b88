package dev.streamrec.updater.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.schemas.ItemUpdate;
import dev.streamrec.schemas.StepKind;
import dev.streamrec.updater.model.Hyperparameters;
import java.util.List;
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

    private ItemFactors atVersion(final long version) {
        ItemFactors item = stage.apply("i", update(-1, false), ItemStage.initializer().apply());
        item.setVersion(version);
        return item;
    }

    private static double change(final ItemFactors before, final ItemFactors after) {
        double sum = 0;
        for (int k = 0; k < before.getFactors().size(); k++) {
            final double d = after.getFactors().get(k) - before.getFactors().get(k);
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    @Test
    void countsVersionsUpdatesAndPositives() {
        final ItemFactors first = stage.apply("i", update(-1, true), ItemStage.initializer().apply());
        final ItemFactors second = stage.apply("i", update(1, false), first);
        assertThat(first.getVersion()).isEqualTo(1);
        assertThat(second.getVersion()).isEqualTo(2);
        assertThat(second.getUpdateCount()).isEqualTo(2);
        assertThat(second.getPositiveCount()).isEqualTo(1);
        assertThat(second.getFactors()).hasSize(hyperparameters.dimensions());
    }

    @Test
    void aStepThatMissedMoreUpdatesThanTheToleranceIsDampedByItsStaleness() {
        final ItemFactors current = atVersion(10);
        final double fresh = change(current, stage.apply("i", update(10, false), current));
        final double twoBehind = change(current, stage.apply("i", update(8, false), current));
        final double eightBehind = change(current, stage.apply("i", update(2, false), current));
        assertThat(fresh).isPositive();
        assertThat(twoBehind).as("within the tolerance of 2").isCloseTo(fresh, within(1e-7));
        assertThat(eightBehind).as("tolerance / staleness = 2/8").isCloseTo(fresh / 4, within(fresh * 1e-3));
    }

    @Test
    void theFirstStepOfAnItemStartsFromItsDeterministicInitialFactors() {
        final ItemFactors a = stage.apply("i", update(-1, false), ItemStage.initializer().apply());
        final ItemFactors b = stage.apply("i", update(-1, false), ItemStage.initializer().apply());
        assertThat(a.getFactors()).isEqualTo(b.getFactors());
        assertThat(List.copyOf(a.getFactors())).isNotEqualTo(List.copyOf(stage.apply("j", update(-1, false),
                ItemStage.initializer().apply()).getFactors()));
    }
}
