package dev.streamrec.bench.e2e;

import dev.streamrec.bench.model.RatingEvent;
import dev.streamrec.demo.broker.InProcessKafka;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.model.Hyperparameters;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Replays a MovieLens file through the running topology, prequentially as the topology always
 * works, and reads back the model quality it publishes on {@code model.metrics}.
 *
 * <p>Events keep their original 1990s timestamps as event times; instead of shifting them,
 * {@code validation.max.age.ms} is raised to 100 years, so the validator accepts them and every
 * time-based feature (profile decay, dedupe record time) sees the true spacing. Anomaly detection
 * is switched off for this run ({@code profile.anomaly.*} set beyond reach): MovieLens users rate
 * dozens of films within seconds, which the burst rule would flag and the learner would then skip,
 * while the offline replay learns from every rating — the comparison must feed both the same events.
 */
final class AccuracyRun {
    /** The settings the accuracy replay adds on top of the benchmark's tuning. */
    static final Map<String, String> SETTINGS = Map.of(
            "validation.max.age.ms", String.valueOf(Duration.ofDays(36_500).toMillis()),
            "profile.anomaly.burst.max.events", "1000000",
            "profile.anomaly.z.threshold", "1000000",
            "metrics.interval.ms", "500",
            "metrics.prequential.sample.rate", "1.0");

    /** What the topology reported, and how long the replay took. */
    record Result(MetricsWatcher.Combined last, List<MetricsWatcher.Combined> history, Hyperparameters model,
                  double seconds, double itemStepsPerEvent) {
    }

    private AccuracyRun() {
    }

    static Result run(final InProcessKafka kafka, final String name, final Map<String, String> tuning,
                      final List<RatingEvent> events, final double rate, final Duration timeout) throws Exception {
        try (BenchApp app = BenchApp.start(kafka.bootstrapServers(), name, tuning);
             EventSender sender = new EventSender(kafka.bootstrapServers(), app.topics);
             MetricsWatcher metrics = new MetricsWatcher(kafka.bootstrapServers(), app.topics.metrics)) {
            final Pacer pacer = new Pacer(rate);
            final long start = System.nanoTime();
            for (int i = 0; i < events.size(); i++) {
                pacer.awaitNext();
                final RatingEvent e = events.get(i);
                sender.send(new InputEvent(InputEvent.Kind.RATING, e.userId(),
                        dev.streamrec.schemas.RatingEvent.newBuilder().setEventId("ml-" + i).setUserId(e.userId())
                                .setItemId(e.itemId()).setEventTime(Instant.ofEpochSecond(e.timestamp()))
                                .setRating(e.rating()).build()));
            }
            sender.flush();
            final MetricsWatcher.Combined last = metrics.awaitCombined(c -> c.ratingsScored() >= events.size(), timeout);
            final double seconds = (System.nanoTime() - start) / 1e9;
            if (last.ratingsScored() < events.size()) {
                System.out.printf("  %s: only %d of %d ratings scored after %s%n", name, last.ratingsScored(),
                        events.size(), timeout);
            }
            // Item-side messages per rating, to express the Kafka hop's staleness in the offline
            // replay's unit (item steps, not events). Offsets include a few commit markers.
            final double stepsPerEvent = TopicVolumes.of(kafka, name).getOrDefault("-item-steps-repartition", 0L)
                    / (double) events.size();
            return new Result(last, metrics.history(), app.config.model(), seconds, stepsPerEvent);
        }
    }

    /** The model hyperparameters a run with {@code tuning} uses (for the offline replay). */
    static Hyperparameters model(final Map<String, String> tuning) {
        return UpdaterConfig.of(tuning).model();
    }
}
