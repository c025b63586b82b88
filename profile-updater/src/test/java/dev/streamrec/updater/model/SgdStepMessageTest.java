package dev.streamrec.updater.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The allocation-free step ({@link StepBuffer}) and the allocating one ({@link ItemStep}) are one
 * computation: same bits in every parameter and message. And the vector and scalar kernels train
 * the same model up to float rounding.
 */
class SgdStepMessageTest {
    private static final int RANK = 64;
    private static final Hyperparameters HYPERPARAMETERS = Hyperparameters.defaults().toBuilder().rank(RANK)
            .initialScale(0.1f).build();

    @Test
    void bufferedAndAllocatingStepsAgreeBitForBit() {
        final SgdStep step = new SgdStep(HYPERPARAMETERS);
        final UserParameters userA = UserParameters.initial("u", HYPERPARAMETERS);
        final UserParameters userB = userA.copy();
        final ItemParameters itemA = ItemParameters.initial("i", HYPERPARAMETERS);
        final ItemParameters itemB = itemA.copy();
        final StepBuffer buffer = step.newStepBuffer();
        for (int n = 0; n < 200; n++) {
            final float rating = 1 + n % 5;
            final UserStepResult owned = step.ratingUserSide(userA, itemA, "i", rating, 3.5f);
            assertThat(step.ratingUserSide(userB, itemB, rating, 3.5f, buffer)).isEqualTo(!owned.discarded());
            assertThat(buffer.prediction()).isEqualTo(owned.prediction());
            assertThat(buffer.userFactors()).containsExactly(owned.itemStep().userFactors());
            assertThat(buffer.gradientScale()).isEqualTo(owned.itemStep().gradientScale());
            step.applyItemSide(itemA, owned.itemStep());
            step.applyItemSide(itemB, ItemStep.Kind.RATING, buffer.userFactors(), buffer.gradientScale());

            final float target = n % 3 == 0 ? 1f : 0f;
            final UserStepResult interaction = step.interactionUserSide(userA, itemA, "i", target, 2f);
            assertThat(step.interactionUserSide(userB, itemB, target, 2f, buffer)).isTrue();
            step.applyItemSide(itemA, interaction.itemStep());
            step.applyItemSide(itemB, ItemStep.Kind.INTERACTION, buffer.userFactors(), buffer.gradientScale());
        }
        assertThat(userB.factors()).containsExactly(userA.factors());
        assertThat(userB.bias()).isEqualTo(userA.bias());
        assertThat(itemB.factors()).containsExactly(itemA.factors());
        assertThat(itemB.ratingBias()).isEqualTo(itemA.ratingBias());
        assertThat(itemB.interactionBias()).isEqualTo(itemA.interactionBias());
    }

    @Test
    void vectorAndScalarKernelsTrainTheSameModelUpToRounding() {
        final SgdStep vector = new SgdStep(HYPERPARAMETERS, FactorKernels.vector());
        final SgdStep scalar = new SgdStep(HYPERPARAMETERS, FactorKernels.scalar());
        final UserParameters userV = UserParameters.initial("u", HYPERPARAMETERS);
        final UserParameters userS = userV.copy();
        final ItemParameters itemV = ItemParameters.initial("i", HYPERPARAMETERS);
        final ItemParameters itemS = itemV.copy();
        for (int n = 0; n < 100; n++) {
            final float rating = 1 + n % 5;
            final UserStepResult v = vector.ratingUserSide(userV, itemV, "i", rating, 3.5f);
            final UserStepResult s = scalar.ratingUserSide(userS, itemS, "i", rating, 3.5f);
            assertThat(v.prediction()).isCloseTo(s.prediction(), within(1e-4f));
            vector.applyItemSide(itemV, v.itemStep());
            scalar.applyItemSide(itemS, s.itemStep());
        }
        for (int f = 0; f < RANK; f++) {
            assertThat(userV.factors()[f]).as("p_u[%d]", f).isCloseTo(userS.factors()[f], within(1e-4f));
            assertThat(itemV.factors()[f]).as("q_i[%d]", f).isCloseTo(itemS.factors()[f], within(1e-4f));
        }
        assertThat(userV.bias()).isCloseTo(userS.bias(), within(1e-4f));
    }
}
