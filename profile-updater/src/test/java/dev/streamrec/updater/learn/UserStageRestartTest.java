package dev.streamrec.updater.learn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.Interaction;
import dev.streamrec.schemas.InteractionKind;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
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
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Users awaiting a list when an instance stops get it from the instance that takes the task over,
 * without new events: the next processor on the same (restored) stores re-marks every user whose
 * profile changed since the committed refresh watermark. The stores here stand for the changelogs
 * as committed; a second processor on them is the task reopened elsewhere.
 */
class UserStageRestartTest {
    private static final Instant ZERO = Instant.parse("2026-06-01T12:00:00Z");
    private static final Duration REFRESH = Duration.ofSeconds(10);

    private final String registry = "mock://user-stage-restart-" + UUID.randomUUID();
    private final UpdaterConfig config = UpdaterConfig.of(Map.of(
            "schema.registry.url", registry,
            "recommendations.refresh.interval.ms", String.valueOf(REFRESH.toMillis()),
            "recommendations.min.user.interval.ms", String.valueOf(Duration.ofMinutes(1).toMillis())));
    private final ItemModel model = ProfileUpdaterTopology.newItemModel(config);
    private final ProfileAggregator aggregator = new ProfileAggregator(config.profile());
    private final Map<String, Object> stores = new HashMap<>();
    private MockProcessorContext<String, SpecificRecord> context;
    private UserStageProcessor processor;

    @Test
    void usersWithEventsAfterTheLastRefreshRoundGetAListFromTheNextInstanceAndOthersDoNot() {
        startInstance();
        event("early", 5);
        event("busy", 6);
        refreshAt(10); // lists for early and busy; busy is now paced for a minute
        event("busy", 12); // left waiting at the next round: the watermark stays at its ingest time
        event("late", 13);
        refreshAt(20); // a list for late only
        assertThat(listedUsers()).containsExactly("early", "busy", "late");
        event("after", 25); // no round before the stop

        startInstance(); // the task reopened on the committed stores
        refreshAt(30);

        final Map<String, Recommendations> lists = new HashMap<>();
        forwardedLists().forEach(list -> lists.put(list.getUserId(), list));
        assertThat(lists.keySet())
                .as("users with events not reflected in a list are refreshed; early is not")
                // late was listed at 20 s, but its event (13 s) is after the watermark busy held
                // back at 12 s, so it is listed once more: a list too many, never one too few.
                .containsOnly("busy", "late", "after");
        assertThat(lists.get("busy").getTriggerIngestTime())
                .as("the trigger time is never later than the event it reflects")
                .isBeforeOrEqualTo(ZERO.plusSeconds(12));
        assertThat(lists.get("after").getTriggerIngestTime()).isBeforeOrEqualTo(ZERO.plusSeconds(25));
    }

    /** A new processor and context over the same stores, as a task reopened after a stop. */
    private void startInstance() {
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(ZERO.toEpochMilli());
        addStore("stage-state", Serdes.Double());
        addStore("profiles", SpecificAvroSerde.of(UserProfile.class, Map.of("schema.registry.url", registry), false));
        addStore("user-items", Serdes.Integer());
        processor = new UserStageProcessor(config, model,
                new UserStageProcessor.Names("stage-state", "profiles", "user-items"));
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
    private <V> KeyValueStore<String, V> store(final String name) {
        return (KeyValueStore<String, V>) stores.get(name);
    }

    /** One click of {@code user}, ingested and profiled at {@code second}, as the profile step hands it on. */
    private void event(final String user, final int second) {
        final long now = ZERO.plusSeconds(second).toEpochMilli();
        context.setCurrentSystemTimeMs(now);
        final Interaction click = Interaction.newBuilder().setEventId(user + "-" + second).setUserId(user)
                .setItemId("item-" + second).setKind(InteractionKind.CLICK).setValue(1).setNormalizedValue(1).setWeight(1)
                .setEventTime(Instant.ofEpochMilli(now)).setIngestTime(Instant.ofEpochMilli(now)).setCategories(List.of())
                .build();
        final KeyValueStore<String, UserProfile> profiles = store("profiles");
        final UserProfile profile = aggregator.apply(profiles.get(user), click, true, now); // stored by the user stage
        this.<Integer>store("user-items").put(UserItems.key(user, click.getItemId()), UserItems.flag(InteractionKind.CLICK));
        processor.process(new Record<>(user, new ProfileStep(profile, click, true,
                UserItems.scan(this.<Integer>store("user-items"), user)), now));
    }

    private void refreshAt(final int second) {
        final long now = ZERO.plusSeconds(second).toEpochMilli();
        context.setCurrentSystemTimeMs(now);
        for (final CapturedPunctuator punctuator : context.scheduledPunctuators()) {
            if (punctuator.getType() == PunctuationType.WALL_CLOCK_TIME && punctuator.getInterval().equals(REFRESH)) {
                punctuator.getPunctuator().punctuate(now);
            }
        }
    }

    private List<Recommendations> forwardedLists() {
        return context.forwarded().stream().map(captured -> captured.record().value())
                .filter(Recommendations.class::isInstance).map(Recommendations.class::cast).toList();
    }

    private List<String> listedUsers() {
        return forwardedLists().stream().map(Recommendations::getUserId).toList();
    }
}
