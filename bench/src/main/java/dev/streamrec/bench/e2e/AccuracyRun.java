package dev.streamrec.bench.e2e;

import dev.streamrec.bench.model.RatingEvent;
import dev.streamrec.demo.broker.InProcessKafka;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.model.Hyperparameters;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a MovieLens file through the running topology, prequentially as the topology always
 * works, and reads back the model quality it publishes on {@code model.metrics}.
 *
 * <p>Events keep their original 1990s timestamps and anomaly detection is out of reach
 * ({@link MovieLensWorkload#SETTINGS} says why): the comparison must feed the topology and the
 * offline replay the same events. Every rating is scored ({@code metrics.prequential.sample.rate=1}).
 */
final class AccuracyRun {
    /** The settings the accuracy replay adds on top of the benchmark's tuning. */
    static final Map<String, String> SETTINGS = settings();

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
            final MovieLensWorkload replay = new MovieLensWorkload(events, "ml-");
            for (int i = 0; i < events.size(); i++) {
                pacer.awaitNext();
                sender.send(replay.next(0));
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
            final double stepsPerEvent = TopicVolumes.of(kafka, name).getOrDefault(BenchApp.ITEM_STEPS_SUFFIX, 0L)
                    / (double) events.size();
            return new Result(last, metrics.history(), app.config.model(), seconds, stepsPerEvent);
        }
    }

    private static Map<String, String> settings() {
        final Map<String, String> settings = new HashMap<>(MovieLensWorkload.SETTINGS);
        settings.put("metrics.interval.ms", "500");
        settings.put("metrics.prequential.sample.rate", "1.0");
        return Map.copyOf(settings);
    }

    /** The model hyperparameters a run with {@code tuning} uses (for the offline replay). */
    static Hyperparameters model(final Map<String, String> tuning) {
        return UpdaterConfig.of(tuning).model();
    }
}
