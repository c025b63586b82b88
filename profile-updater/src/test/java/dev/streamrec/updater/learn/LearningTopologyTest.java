package dev.streamrec.updater.learn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.schemas.ModelMetrics;
import dev.streamrec.schemas.RatingEvent;
import dev.streamrec.updater.PlantedRatings;
import dev.streamrec.updater.TopologyTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Online learning through the real topology in TopologyTestDriver: the user stage, the item-steps
 * repartition, the item stage and the global item-factor store all take part, in one thread.
 *
 * <p>Planted model r = μ + b_u + b_i + p_u·q_i + ε with ε ~ N(0, σ²): no estimator beats σ, so the
 * prequential RMSE over the last 20 % of ratings must fall in [0.95 σ, 1.4 σ]. The band is wider
 * than the pure-model ConvergenceTest's (1.25 σ) because a TopologyTestDriver run must stay small:
 * about 150 ratings per user instead of 500 leave more estimation error per user vector.
 */
class LearningTopologyTest {
    private static final int USERS = 200;
    private static final int ITEMS = 100;
    private static final int RANK = 4;
    private static final double NOISE = 0.5;
    private static final int EVENTS = Integer.getInteger("ttd.events", 60_000);

    @Test
    void prequentialRmseApproachesTheNoiseFloor() {
        // Explicit ratings only (no implicit steps on ratings, so one item step per event), and the
        // single-pass factor rate the pure-model ConvergenceTest justifies.
        final Map<String, String> settings = Map.of("model.rank", "8", "model.rating.interaction.weight", "0",
                "model.factor.learning.rate", "0.1", "metrics.window.events", String.valueOf(EVENTS / 5),
                "validation.rating.step", "0", "recommendations.refresh.interval.ms", "60000");
        try (TopologyTestSupport fx = new TopologyTestSupport(settings)) {
            final PlantedRatings planted = new PlantedRatings(42, USERS, ITEMS, RANK, 3.0, NOISE);
            final Instant start = TopologyTestSupport.START.minus(Duration.ofHours(12));
            for (int n = 0; n < EVENTS; n++) {
                final PlantedRatings.Rating drawn = planted.next();
                final int u = drawn.user();
                final int i = drawn.item();
                double r = drawn.value();
                r = Math.max(1, Math.min(5, r)); // inside the scale; clipping only touches the tails
                final Instant time = start.plusMillis(n * 500L);
                fx.ratings.pipeInput("u" + u, RatingEvent.newBuilder().setEventId("e" + n).setUserId("u" + u)
                        .setItemId("i" + i).setEventTime(time).setRating(r).build(), time);
                // The wall clock moves with the events, as in a live stream: the wall-clock
                // punctuations (list refresh, metrics, a non-zero item.factors.publish.interval.ms)
                // run between them.
                fx.advanceWallClock(Duration.ofMillis(500));
            }
            fx.advanceWallClock(Duration.ofSeconds(10));
            final List<ModelMetrics> metrics = fx.metrics.readValuesToList();
            final ModelMetrics last = metrics.get(metrics.size() - 1);
            System.out.printf("TTD prequential: ratings=%d rmse=%.4f lastWindowRmse=%.4f (sigma %.2f)%n",
                    last.getRatingsScored(), last.getRmse(), last.getWindowRmse(), NOISE);
            assertThat(last.getRatingsScored()).isEqualTo(EVENTS);
            assertThat(last.getWindowRmse()).isBetween(0.95 * NOISE, 1.4 * NOISE);
            assertThat(last.getDiscardedSteps()).isZero();
            // The same figures are Kafka Streams metrics of the task.
            final double rmseMetric = fx.driver.metrics().entrySet().stream()
                    .filter(e -> e.getKey().group().equals("streamrec-model") && e.getKey().name().equals("window-rmse"))
                    .mapToDouble(e -> (Double) e.getValue().metricValue()).findFirst().orElseThrow();
            assertThat(rmseMetric).isEqualTo(last.getWindowRmse());

            // Every item learned from was published with a version and the instance's matrix holds it.
            final Map<String, ItemFactors> published = new java.util.HashMap<>();
            for (final TestRecord<String, ItemFactors> record : fx.itemFactors.readRecordsToList()) {
                published.put(record.key(), record.value());
            }
            assertThat(published).hasSize(ITEMS);
            assertThat(published.values()).allSatisfy(f -> assertThat(f.getVersion()).isPositive());
            assertThat(fx.model.matrix().size()).isEqualTo(ITEMS);
            assertThat(fx.model.matrix().modelVersion()).isPositive();
        }
    }
}
