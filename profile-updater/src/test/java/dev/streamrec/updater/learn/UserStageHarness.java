package dev.streamrec.updater.learn;

import dev.streamrec.schemas.Interaction;
import dev.streamrec.schemas.InteractionKind;
import dev.streamrec.schemas.ModelMetrics;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.serde.InMemorySchemaRegistry;
import dev.streamrec.serde.SpecificAvroSerde;
import dev.streamrec.updater.ProfileUpdaterTopology;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.profile.ProfileAggregator;
import dev.streamrec.updater.profile.ProfileStep;
import dev.streamrec.updater.profile.UserItems;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * One user-stage task on in-memory stores that outlive its processor: {@link #startInstance} again
 * is the task reopened on its committed stores. Time is seconds after {@link #ZERO}.
 */
final class UserStageHarness implements AutoCloseable {
    static final Instant ZERO = Instant.parse("2026-06-01T12:00:00Z");
    static final Duration REFRESH = Duration.ofSeconds(10);
    static final Duration METRICS = Duration.ofSeconds(7);
    static final String STAGE_STATE = "stage-state";
    static final String PROFILES = "profiles";
    static final String USER_ITEMS = "user-items";

    private final String scope = "user-stage-" + UUID.randomUUID();
    final UpdaterConfig config;
    final ItemModel model;
    final ProfileAggregator aggregator;
    /** The instance's item stage, whose discarded steps the task reports. */
    final ItemStage itemStage;
    private final TaskId taskId;
    private final Map<String, Object> stores = new HashMap<>();
    MockProcessorContext<String, SpecificRecord> context;
    UserStageProcessor processor;

    UserStageHarness(final TaskId taskId) {
        this(taskId, null);
    }

    /** A task of the instance that runs {@code itemStage}; a stage of its own when null. */
    UserStageHarness(final TaskId taskId, final ItemStage itemStage) {
        this.taskId = taskId;
        this.config = UpdaterConfig.of(Map.of(
                "schema.registry.url", "mock://" + scope,
                "recommendations.refresh.interval.ms", String.valueOf(REFRESH.toMillis()),
                "recommendations.min.user.interval.ms", String.valueOf(Duration.ofMinutes(1).toMillis()),
                "metrics.interval.ms", String.valueOf(METRICS.toMillis())));
        this.model = ProfileUpdaterTopology.newItemModel(config);
        this.aggregator = new ProfileAggregator(config.profile());
        this.itemStage = itemStage != null ? itemStage
                : new ItemStage(config.model(), config.recommendations().trendingHalfLife(), model);
    }

    UserStageHarness() {
        this(new TaskId(0, 0));
    }

    static UserStageProcessor.Names names() {
        return new UserStageProcessor.Names(STAGE_STATE, PROFILES, USER_ITEMS);
    }

    /** A processor from the public constructor, as the topology makes it. */
    void startInstance() {
        startInstance(harness -> new UserStageProcessor(harness.config, harness.model, names(),
                harness.itemStage::takeDiscardedSteps));
    }

    /** A new processor and context over the same stores, as a task reopened after a stop. */
    void startInstance(final Function<UserStageHarness, UserStageProcessor> processors) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "user-stage-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        context = new MockProcessorContext<>(props, taskId, null);
        context.setCurrentSystemTimeMs(ZERO.toEpochMilli());
        addStore(STAGE_STATE, Serdes.Double());
        addStore(PROFILES, SpecificAvroSerde.of(UserProfile.class, Map.of("schema.registry.url", "mock://" + scope), false));
        addStore(USER_ITEMS, Serdes.Integer());
        processor = processors.apply(this);
        processor.init(context);
    }

    @SuppressWarnings("unchecked")
    private <V> void addStore(final String name, final Serde<V> values) {
        final KeyValueStore<String, V> store = (KeyValueStore<String, V>) stores.computeIfAbsent(name, n -> {
            final KeyValueStore<String, V> created = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(n),
                    Serdes.String(), values).withLoggingDisabled().build();
            created.init(context.getStateStoreContext(), created);
            return created;
        });
        context.addStateStore(store);
    }

    @SuppressWarnings("unchecked")
    <V> KeyValueStore<String, V> store(final String name) {
        return (KeyValueStore<String, V>) stores.get(name);
    }

    static long millis(final int second) {
        return ZERO.plusSeconds(second).toEpochMilli();
    }

    /** A click of {@code user} on {@code item}, ingested at {@code second}. */
    static Interaction click(final String user, final String item, final int second) {
        final Instant at = Instant.ofEpochMilli(millis(second));
        return Interaction.newBuilder().setEventId(user + "-" + item + "-" + second).setUserId(user).setItemId(item)
                .setKind(InteractionKind.CLICK).setValue(1).setNormalizedValue(1).setWeight(1)
                .setEventTime(at).setIngestTime(at).setCategories(List.of()).build();
    }

    /**
     * One click of {@code user}, ingested and profiled at {@code second}, as the profile step hands
     * it on; returns the profile the processor keeps (and stores) for the user.
     */
    UserProfile event(final String user, final int second) {
        final long now = millis(second);
        context.setCurrentSystemTimeMs(now);
        final Interaction click = click(user, "item-" + second, second);
        final UserProfile profile = aggregator.apply(this.<UserProfile>store(PROFILES).get(user), click, true, now);
        this.<Integer>store(USER_ITEMS).put(UserItems.key(user, click.getItemId()), UserItems.flag(InteractionKind.CLICK));
        processor.process(new Record<>(user, new ProfileStep(profile, click, true,
                UserItems.scan(this.<Integer>store(USER_ITEMS), user)), now));
        return profile;
    }

    void refreshAt(final int second) {
        punctuate(REFRESH, second);
    }

    void publishMetricsAt(final int second) {
        punctuate(METRICS, second);
    }

    private void punctuate(final Duration interval, final int second) {
        final long now = millis(second);
        context.setCurrentSystemTimeMs(now);
        for (final CapturedPunctuator punctuator : context.scheduledPunctuators()) {
            if (punctuator.getType() == PunctuationType.WALL_CLOCK_TIME && punctuator.getInterval().equals(interval)) {
                punctuator.getPunctuator().punctuate(now);
            }
        }
    }

    <T> List<T> forwarded(final Class<T> type) {
        return context.forwarded().stream().map(captured -> captured.record().value())
                .filter(type::isInstance).map(type::cast).toList();
    }

    List<String> listedUsers() {
        return forwarded(Recommendations.class).stream().map(Recommendations::getUserId).toList();
    }

    /** The users listed since the last call, in order. */
    List<String> takeListedUsers() {
        final List<String> users = listedUsers();
        context.resetForwards();
        return users;
    }

    ModelMetrics lastMetrics() {
        final List<ModelMetrics> all = forwarded(ModelMetrics.class);
        return all.get(all.size() - 1);
    }

    Double storedWatermark() {
        return this.<Double>store(STAGE_STATE).get("refresh.watermark");
    }

    @Override
    public void close() {
        if (processor != null) {
            processor.close();
        }
        InMemorySchemaRegistry.dropScope(scope);
    }
}
