package dev.streamrec.service.quality;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** Exposes {@link ModelQuality} as gauges, read at scrape time so they are never stale. */
public final class ModelQualityMetrics implements MeterBinder {
    private final ModelQuality quality;

    public ModelQualityMetrics(final ModelQuality quality) {
        this.quality = quality;
    }

    @Override
    public void bindTo(final MeterRegistry registry) {
        Gauge.builder("streamrec.model.rmse", quality, ModelQuality::rmse)
                .description("Prequential RMSE of rating predictions, weighted across updater tasks")
                .register(registry);
        Gauge.builder("streamrec.model.recall", quality, ModelQuality::recallAt10).tag("n", "10")
                .description("Prequential recall@N of positive events, weighted across updater tasks")
                .register(registry);
        Gauge.builder("streamrec.model.recall", quality, ModelQuality::recallAt20).tag("n", "20")
                .description("Prequential recall@N of positive events, weighted across updater tasks")
                .register(registry);
        Gauge.builder("streamrec.model.ratings.scored", quality, ModelQuality::ratingsScored)
                .description("Ratings scored before training, summed across updater tasks").register(registry);
        Gauge.builder("streamrec.model.positives.scored", quality, ModelQuality::positivesScored)
                .description("Positive events scored for recall, summed across updater tasks").register(registry);
        Gauge.builder("streamrec.model.tasks", quality, ModelQuality::tasks)
                .description("Updater tasks whose quality summary has been seen").register(registry);
    }
}
