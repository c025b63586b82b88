package dev.streamrec.updater.topology;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Interaction;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.schemas.ItemUpdate;
import dev.streamrec.schemas.ModelMetrics;
import dev.streamrec.schemas.PurchaseEvent;
import dev.streamrec.schemas.RatingEvent;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.serde.SerdeConfig;
import dev.streamrec.serde.SpecificAvroSerde;
import dev.streamrec.updater.config.UpdaterConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic the system reads or writes, with its serdes, from configuration. Keys are plain UTF-8
 * strings (user or item ids); values are Avro in Confluent's wire format.
 *
 * <p>The event topics must be co-partitioned (same partition count, keyed by user id with the
 * default partitioner) because the user stage keeps each user's state on one partition.
 */
public final class Topics {
    public final TopicSpec<String, ClickEvent> clicks;
    public final TopicSpec<String, PurchaseEvent> purchases;
    public final TopicSpec<String, RatingEvent> ratings;
    public final TopicSpec<String, Item> catalog;
    public final TopicSpec<String, ItemFactors> itemFactors;
    public final TopicSpec<String, UserProfile> profiles;
    public final TopicSpec<String, Recommendations> recommendations;
    public final TopicSpec<String, ModelMetrics> metrics;
    /** Dead letters keep the original bytes. */
    public final String deadLetter;

    /** Serdes of internal records (repartition topics and stores). */
    public final Serde<Interaction> interactionSerde;
    public final Serde<ItemUpdate> itemUpdateSerde;

    private final Map<String, Object> serdeConfig;

    public Topics(final UpdaterConfig config) {
        this(config.topics(), config.serdeConfig());
    }

    public Topics(final UpdaterConfig.TopicNames names, final Map<String, Object> serdeConfig) {
        this.serdeConfig = Map.copyOf(serdeConfig);
        final Serde<String> keys = Serdes.String();
        this.clicks = new TopicSpec<>(names.clicks(), keys, avro(ClickEvent.class));
        this.purchases = new TopicSpec<>(names.purchases(), keys, avro(PurchaseEvent.class));
        this.ratings = new TopicSpec<>(names.ratings(), keys, avro(RatingEvent.class));
        this.catalog = new TopicSpec<>(names.catalog(), keys, avro(Item.class));
        this.itemFactors = new TopicSpec<>(names.itemFactors(), keys, avro(ItemFactors.class));
        this.profiles = new TopicSpec<>(names.profiles(), keys, avro(UserProfile.class));
        this.recommendations = new TopicSpec<>(names.recommendations(), keys, avro(Recommendations.class));
        this.metrics = new TopicSpec<>(names.metrics(), keys, avro(ModelMetrics.class));
        this.deadLetter = names.dlq();
        this.interactionSerde = internalAvro(Interaction.class);
        this.itemUpdateSerde = internalAvro(ItemUpdate.class);
    }

    /** A configured value serde for any generated record type, on a public topic. */
    public <T extends SpecificRecord> Serde<T> avro(final Class<T> type) {
        return SpecificAvroSerde.of(type, serdeConfig, false);
    }

    /**
     * A value serde for the updater's internal topics (repartition topics, store changelogs),
     * which always registers its schema, whatever {@code serde.auto.register.schemas} says. Their
     * subjects ({@code <application.id>-<name>-repartition-value},
     * {@code <application.id>-<store>-changelog-value}) belong to this application alone and change
     * with its build: an operator who turns auto-registration off to govern the public topics' schemas
     * should not have to pre-register, at every upgrade, subjects that no other client reads.
     */
    public <T extends SpecificRecord> Serde<T> internalAvro(final Class<T> type) {
        final Map<String, Object> alwaysRegister = new HashMap<>(serdeConfig);
        alwaysRegister.put(SerdeConfig.AUTO_REGISTER_SCHEMAS, "true");
        return SpecificAvroSerde.of(type, alwaysRegister, false);
    }
}
