package dev.streamrec.updater.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HyperparametersTest {

    private static Arguments bad(final String field, final UnaryOperator<Hyperparameters.Builder> change) {
        return Arguments.of(field, change);
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("rank", b -> b.rank(0)),
                bad("rank", b -> b.rank(Hyperparameters.MAX_RANK + 1)),
                bad("sharing", b -> b.sharing(null)),
                bad("factorLearningRate", b -> b.factorLearningRate(-0.1f)),
                bad("factorLearningRate", b -> b.factorLearningRate(Float.NaN)),
                bad("userBiasLearningRate", b -> b.userBiasLearningRate(-1e-3f)),
                bad("biasWarmup", b -> b.biasWarmup(-1f)),
                bad("factorWarmup", b -> b.factorWarmup(-1f)),
                bad("factorWarmupRate", b -> b.factorWarmupRate(Float.NaN)),
                bad("factorStepBound", b -> b.factorStepBound(-0.1f)),
                bad("itemBiasLearningRate", b -> b.itemBiasLearningRate(Float.POSITIVE_INFINITY)),
                bad("factorRegularization", b -> b.factorRegularization(-1f)),
                bad("biasRegularization", b -> b.biasRegularization(Float.NaN)),
                bad("ratingWeight", b -> b.ratingWeight(-1f)),
                bad("ratingInteractionWeight", b -> b.ratingInteractionWeight(-1f)),
                bad("clickWeight", b -> b.clickWeight(-0.5f)),
                bad("purchaseWeight", b -> b.clickWeight(2f).purchaseWeight(1f)),
                bad("negativeWeight", b -> b.negativeWeight(Float.NEGATIVE_INFINITY)),
                bad("negativesPerPositive", b -> b.negativesPerPositive(-1)),
                bad("negativesPerPositive", b -> b.negativesPerPositive(Hyperparameters.MAX_NEGATIVES + 1)),
                bad("itemSideNegatives", b -> b.itemSideNegatives(-1)),
                bad("stalenessTolerance", b -> b.stalenessTolerance(0)),
                bad("itemSideNegatives", b -> b.itemSideNegatives(Hyperparameters.MAX_NEGATIVES + 1)),
                bad("samplingExponent", b -> b.samplingExponent(-0.5f)),
                bad("initialScale", b -> b.initialScale(-0.01f)),
                bad("maxError", b -> b.maxError(0f)),
                bad("maxFactorNorm", b -> b.maxFactorNorm(-3f)),
                bad("maxBias", b -> b.maxBias(Float.NaN)),
                bad("minRating", b -> b.minRating(Float.NaN)),
                bad("maxRating", b -> b.maxRating(Float.POSITIVE_INFINITY)),
                bad("maxRating", b -> b.minRating(5f).maxRating(5f)),
                bad("rankingRatingBlend", b -> b.rankingRatingBlend(-1f)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void rejectsABadValueNamingTheField(final String field, final UnaryOperator<Hyperparameters.Builder> change) {
        assertThatThrownBy(() -> change.apply(Hyperparameters.defaults().toBuilder()).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(field + " ");
    }

    @Test
    void defaultsAreValidAndRoundTripThroughTheBuilder() {
        final Hyperparameters defaults = Hyperparameters.defaults();
        assertThat(defaults.toBuilder().build()).isEqualTo(defaults);
        assertThat(defaults.purchaseWeight()).isGreaterThan(defaults.clickWeight());
        assertThat(defaults.dimensions()).isEqualTo(defaults.sharing().dimensions(defaults.rank()));
    }

    @Test
    void acceptsBoundaryValues() {
        assertThatCode(() -> Hyperparameters.defaults().toBuilder().rank(1).factorLearningRate(0f)
                .initialScale(0f).negativesPerPositive(0).clickWeight(1f).purchaseWeight(1f).build())
                .doesNotThrowAnyException();
        assertThatCode(() -> Hyperparameters.defaults().toBuilder().factorLearningRate(1e30f).build())
                .as("huge rates are legal: clipping and the non-finite guard keep the step safe")
                .doesNotThrowAnyException();
    }

    @Test
    void separateSharingDoublesTheVectorLength() {
        final Hyperparameters separate = Hyperparameters.defaults().toBuilder().rank(8)
                .sharing(FactorSharing.SEPARATE).build();
        assertThat(separate.dimensions()).isEqualTo(16);
        assertThat(separate.sharing().interactionOffset(8)).isEqualTo(8);
    }
}
