package dev.streamrec.service.items;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Exposes what {@link ItemVectors} could not use, read at scrape time. After a {@code model.rank}
 * change the skipped count falls to 0 as items step again; one that stays up means the updater and
 * the service disagree on {@code model.rank} or {@code model.sharing}.
 */
public final class ItemVectorsMetrics implements MeterBinder {
    private final ItemVectors items;

    public ItemVectorsMetrics(final ItemVectors items) {
        this.items = items;
    }

    @Override
    public void bindTo(final MeterRegistry registry) {
        Gauge.builder("streamrec.item.vectors.skipped", items, ItemVectors::skippedForSize)
                .description("Items whose latest vector on model.item-factors is not of the size model.rank and "
                        + "model.sharing give: no similar items for them")
                .register(registry);
    }
}
