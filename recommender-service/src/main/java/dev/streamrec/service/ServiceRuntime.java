package dev.streamrec.service;

import dev.streamrec.serde.SchemaRegistryClients;
import dev.streamrec.service.config.ServiceConfig;
import dev.streamrec.service.http.HttpApi;
import dev.streamrec.service.items.ItemVectors;
import dev.streamrec.service.items.ItemVectorsMetrics;
import dev.streamrec.service.items.MatrixItemVectors;
import dev.streamrec.service.quality.ModelQuality;
import dev.streamrec.service.quality.ModelQualityMetrics;
import dev.streamrec.service.query.InteractiveQueries;
import dev.streamrec.service.topology.ItemVectorsLoadedListener;
import dev.streamrec.service.topology.ServiceTopology;
import dev.streamrec.updater.errors.ThreadReplacementLimit;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running instance of the service: Kafka Streams over {@link ServiceTopology}, the metrics
 * registry with Kafka Streams' and the JVM's meters bound, and the HTTP API. {@code main} and the
 * integration tests start instances through here so both run the same wiring.
 */
public final class ServiceRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);
    /** Cold-start popularity is re-ranked at most this often while item vectors change. */
    private static final long POPULAR_REFRESH_MS = 1000;

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    private final JvmGcMetrics gcMetrics;
    private final HttpApi http;
    private final int port;

    private ServiceRuntime(final KafkaStreams streams, final KafkaStreamsMetrics streamsMetrics,
                           final JvmGcMetrics gcMetrics, final HttpApi http, final int port) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
        this.gcMetrics = gcMetrics;
        this.http = http;
        this.port = port;
    }

    /** Builds and starts an instance: the HTTP port first (health answers during restore), then Streams. */
    public static ServiceRuntime start(final ServiceConfig config) {
        return start(config, (newState, oldState) -> { });
    }

    /** As {@link #start(ServiceConfig)}, with {@code listener} told of every state change of Kafka Streams. */
    public static ServiceRuntime start(final ServiceConfig config, final KafkaStreams.StateListener listener) {
        // A wrong registry URL stops the start here, naming the key, not at the first record.
        SchemaRegistryClients.requireRegistryAt(config.serdeConfig());
        final ItemVectors items = new MatrixItemVectors(config.itemDimensions(), POPULAR_REFRESH_MS,
                config.trendingHalfLife());
        final ModelQuality quality = new ModelQuality();
        final Topology topology = ServiceTopology.build(config, items, quality);
        final KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties());
        final KafkaStreams.StateListener itemsLoaded = new ItemVectorsLoadedListener(items);
        streams.setStateListener((newState, oldState) -> { // Kafka Streams takes one listener
            itemsLoaded.onChange(newState, oldState);
            listener.onChange(newState, oldState);
        });
        // As the updater: a failing thread is replaced a few times an hour, then the client stops.
        streams.setUncaughtExceptionHandler(new ThreadReplacementLimit());
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        final KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        new ModelQualityMetrics(quality).bindTo(registry);
        new ItemVectorsMetrics(items).bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        final JvmGcMetrics gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        final String self = config.advertisedEndpoint();
        final HttpApi http = new HttpApi(new InteractiveQueries(streams, config.advertised(), items), registry, self,
                config.forwardTimeout(), config.retryAfterSeconds(), config.defaultLimit(), config.maxLimit(),
                config.maxIdLength());
        final int port;
        try {
            port = http.start(config.httpHost(), config.httpPort());
            streams.start();
        } catch (final RuntimeException e) {
            // Nothing may outlive a failed start: Jetty's threads are not daemons, so a server left
            // running kept the JVM alive (liveness DOWN) instead of letting ServiceMain exit with 1.
            // E.g. a global store's topic that does not exist yet: the updater creates it.
            LOG.error("recommender-service {} failed to start: {}", config.applicationId(), e.toString());
            http.stop();
            streams.close(Duration.ofSeconds(10));
            streamsMetrics.close();
            gcMetrics.close();
            throw e;
        }
        LOG.info("recommender-service {} listening on {}:{}, advertised as {}", config.applicationId(),
                config.httpHost(), port, self);
        return new ServiceRuntime(streams, streamsMetrics, gcMetrics, http, port);
    }

    public int port() {
        return port;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /**
     * Stops serving, then leaves the consumer group so the remaining instances take the partitions
     * over at once instead of after the session timeout.
     */
    @Override
    public void close() {
        http.stop();
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        streamsMetrics.close();
        gcMetrics.close();
    }
}
