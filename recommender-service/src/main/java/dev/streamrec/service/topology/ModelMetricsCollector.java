package dev.streamrec.service.topology;

import dev.streamrec.schemas.ModelMetrics;
import dev.streamrec.service.quality.ModelQuality;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Feeds {@link ModelQuality} from the updater's quality summaries. Reads topic {@code model.metrics}
 * (task id to ModelMetrics) and writes store {@link ServiceStores#MODEL_METRICS}. Runs on the global
 * stream thread; {@code init} loads what the store already holds for the same reason as
 * {@link ItemFactorsIndexer}.
 */
final class ModelMetricsCollector implements Processor<String, ModelMetrics, Void, Void> {
    private final ModelQuality quality;
    private KeyValueStore<String, ModelMetrics> store;

    ModelMetricsCollector(final ModelQuality quality) {
        this.quality = quality;
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        store = context.getStateStore(ServiceStores.MODEL_METRICS);
        try (KeyValueIterator<String, ModelMetrics> all = store.all()) {
            all.forEachRemaining(entry -> quality.update(entry.value));
        }
    }

    @Override
    public void process(final Record<String, ModelMetrics> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            quality.remove(record.key());
            return;
        }
        store.put(record.key(), record.value());
        quality.update(record.value());
    }
}
