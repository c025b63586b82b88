package dev.streamrec.updater.model;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class UserSideLearnerTest {
    private final Hyperparameters hp = Hyperparameters.defaults().toBuilder().rank(8).negativesPerPositive(3)
            .itemSideNegatives(3).ratingInteractionWeight(1f).clickWeight(0.5f).purchaseWeight(2f).build();
    private final Map<String, ItemParameters> items = new HashMap<>();
    private final PopularitySampler sampler = new PopularitySampler(0.5);

    private ItemParameters item(final String id) {
        return items.computeIfAbsent(id, key -> ItemParameters.initial(key, hp));
    }

    @Test
    void aRatingMakesARatingStepAPositiveAndTheNegativesExcludingHistory() {
        for (int n = 0; n < 40; n++) {
            sampler.recordInteraction("item-" + n);
        }
        final Set<String> history = Set.of("item-1", "item-2", "item-3");
        final UserLearning learning = new UserSideLearner(new SgdStep(hp)).learnRating(
                UserParameters.initial("u", hp), "item-0", 4f, 3.5f, this::item, sampler, history::contains,
                new SplittableRandom(2));

        assertThat(learning.discardedSteps()).isZero();
        assertThat(learning.itemSteps()).hasSize(2 + hp.negativesPerPositive());
        assertThat(learning.itemSteps().get(0).kind()).isEqualTo(ItemStep.Kind.RATING);
        assertThat(learning.itemSteps().get(1).kind()).isEqualTo(ItemStep.Kind.INTERACTION);
        assertThat(learning.itemSteps().get(1).itemId()).isEqualTo("item-0");
        assertThat(learning.itemSteps().get(1).gradientScale()).as("target 1 above a near-zero score").isPositive();
        for (final ItemStep negative : learning.itemSteps().subList(2, learning.itemSteps().size())) {
            assertThat(negative.itemId()).isNotIn("item-0", "item-1", "item-2", "item-3");
            assertThat(negative.kind()).isEqualTo(ItemStep.Kind.INTERACTION);
        }
    }

    /**
     * With k of n negatives sent to the item stage, the user learns exactly what it learns with
     * all n sent, and each of the k messages carries n/k times the gradient it would carry alone.
     */
    @Test
    void onlyTheFirstItemSideNegativesReachTheItemStageScaledToStandForAll() {
        for (int n = 0; n < 40; n++) {
            sampler.recordInteraction("item-" + n);
        }
        final Hyperparameters all = hp.toBuilder().negativesPerPositive(4).itemSideNegatives(4).build();
        final Hyperparameters one = all.toBuilder().itemSideNegatives(1).build();
        final UserParameters userAll = UserParameters.initial("u", all);
        final UserParameters userOne = userAll.copy();
        final UserLearning withAll = new UserSideLearner(new SgdStep(all)).learnInteraction(userAll, "item-0",
                ImplicitFeedback.CLICK, this::item, sampler, id -> false, new SplittableRandom(3));
        final UserLearning withOne = new UserSideLearner(new SgdStep(one)).learnInteraction(userOne, "item-0",
                ImplicitFeedback.CLICK, this::item, sampler, id -> false, new SplittableRandom(3));

        assertThat(withAll.itemSteps()).hasSize(1 + 4);
        assertThat(withOne.itemSteps()).hasSize(1 + 1);
        assertThat(userOne.factors()).as("the user side learns from every negative either way")
                .containsExactly(userAll.factors());
        final ItemStep sent = withOne.itemSteps().get(1);
        final ItemStep reference = withAll.itemSteps().get(1);
        assertThat(sent.itemId()).isEqualTo(reference.itemId());
        assertThat(sent.userFactors()).containsExactly(reference.userFactors());
        assertThat(sent.gradientScale()).isEqualTo(4f * reference.gradientScale());
        assertThat(withOne.itemSteps().get(0).gradientScale()).as("the positive is not scaled")
                .isEqualTo(withAll.itemSteps().get(0).gradientScale());
    }

    @Test
    void aPurchasePullsHarderThanAClick() {
        sampler.recordInteraction("other");
        final UserSideLearner learner = new UserSideLearner(new SgdStep(hp));
        final ItemStep click = learner.learnInteraction(UserParameters.initial("u", hp), "x",
                ImplicitFeedback.CLICK, this::item, sampler, id -> false, new SplittableRandom(1)).itemSteps().get(0);
        final ItemStep purchase = learner.learnInteraction(UserParameters.initial("u", hp), "x",
                ImplicitFeedback.PURCHASE, this::item, sampler, id -> false, new SplittableRandom(1)).itemSteps().get(0);
        assertThat(purchase.gradientScale()).isCloseTo(4 * click.gradientScale(), org.assertj.core.api.Assertions.within(1e-6f));
    }
}
