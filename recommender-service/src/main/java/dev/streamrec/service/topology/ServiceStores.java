package dev.streamrec.service.topology;

/**
 * Names of the service's stores and processors, in one place. A store's name is part of the
 * contract with running deployments (its directory under the state dir, and the name
 * {@code queryMetadataForKey} and {@code /instances} report), so none is generated.
 */
public final class ServiceStores {
    private ServiceStores() {
    }

    /** Partitioned, RocksDB: userId to Recommendations, from {@code recommendations.users}. */
    public static final String RECOMMENDATIONS = "service-recommendations-store";
    /** Partitioned, RocksDB: userId to UserProfile, from {@code profiles.users}. */
    public static final String PROFILES = "service-profiles-store";
    /** Global, RocksDB: itemId to ItemFactors, from {@code model.item-factors}. */
    public static final String ITEM_FACTORS = "service-item-factors-global-store";
    /**
     * Global, RocksDB: itemId to Item, from {@code catalog.items}; only the active flags are used
     * (withdrawn items are left out of the popular and similar lists).
     */
    public static final String CATALOG = "service-catalog-global-store";
    /** Global, in memory: updater task id to ModelMetrics, from {@code model.metrics}. */
    public static final String MODEL_METRICS = "service-model-metrics-global-store";

    // Processor names; Kafka Streams names each one's source node after it with a "-source" suffix.
    public static final String RECOMMENDATIONS_SOURCE = "service-recommendations-table";
    public static final String PROFILES_SOURCE = "service-profiles-table";
    public static final String ITEM_FACTORS_SOURCE = "service-item-factors-indexer";
    public static final String MODEL_METRICS_SOURCE = "service-model-metrics-collector";
    public static final String CATALOG_SOURCE = "service-catalog-activity";
}
