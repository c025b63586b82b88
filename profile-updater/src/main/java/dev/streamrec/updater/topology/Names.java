package dev.streamrec.updater.topology;

/**
 * Names of every processor, state store and internal topic of the profile-updater, in one place.
 *
 * <p>They are part of the application's contract with its running deployments: a store's name is
 * its changelog topic's name, a repartition step's name is its topic's name. Generated names such
 * as {@code KSTREAM-MAP-0000000004} shift when a step is inserted and orphan that state, so every
 * stateful or repartitioning step is named here, and {@code TopologySnapshotTest} fails when the
 * shape changes unnoticed.
 */
public final class Names {
    private Names() {
    }

    // Sources and validation
    public static final String CLICKS_SOURCE = "clicks-source";
    public static final String PURCHASES_SOURCE = "purchases-source";
    public static final String RATINGS_SOURCE = "ratings-source";
    public static final String VALIDATE_CLICKS = "validate-clicks";
    public static final String VALIDATE_PURCHASES = "validate-purchases";
    public static final String VALIDATE_RATINGS = "validate-ratings";
    public static final String MERGE_EVENTS = "merge-events";
    public static final String KEY_CHECK = "key-check-";
    public static final String KEYED_BY_USER = "keyed-by-user";
    public static final String MISKEYED = "miskeyed";
    public static final String REKEY_BY_USER = "rekey-by-user";
    /** Repartition topic suffix for events whose key was not their user id. */
    public static final String REKEYED_EVENTS = "rekeyed-events";
    public static final String MERGE_KEYED = "merge-keyed-events";

    // De-duplication, enrichment, profile
    public static final String DEDUPE_STORE = "dedupe-store";
    public static final String CATALOG_SOURCE = "catalog-source";
    public static final String CATALOG_STORE = "catalog-store";
    public static final String CATALOG_UPDATER = "catalog-updater";
    public static final String ENRICH = "enrich-with-catalog";
    public static final String PROFILE = "update-profile";
    public static final String PROFILE_STORE = "profile-store";
    public static final String USER_ITEMS_STORE = "user-items-store";
    public static final String PROFILE_VALUES = "profile-values";
    public static final String PROFILES_SINK = "profiles-sink";

    // Learning
    public static final String LEARNABLE = "learnable-interactions";
    public static final String USER_STAGE = "user-stage";
    public static final String USER_STAGE_STATE_STORE = "user-stage-state-store";
    public static final String USER_STAGE_SPLIT = "user-stage-output-";
    public static final String ITEM_STEPS = "item-steps";
    /** Repartition topic suffix carrying item-side SGD steps, keyed by item id. */
    public static final String ITEM_STEPS_TOPIC = "item-steps";
    public static final String ITEM_STAGE = "item-stage";
    public static final String ITEM_FACTORS_STORE = "item-factors-store";
    public static final String ITEM_FACTORS_PUBLISHER = "item-factors-publisher";
    public static final String ITEM_FACTORS_SINK = "item-factors-sink";
    public static final String ITEM_FACTORS_SOURCE = "item-factors-global-source";
    public static final String ITEM_FACTORS_GLOBAL_STORE = "item-factors-global-store";
    public static final String ITEM_FACTORS_GLOBAL_UPDATER = "item-factors-global-updater";

    // Output
    public static final String RECOMMENDATIONS_VALUES = "recommendation-values";
    public static final String RECOMMENDATIONS_SINK = "recommendations-sink";
    public static final String METRICS_VALUES = "metrics-values";
    public static final String METRICS_SINK = "metrics-sink";
}
