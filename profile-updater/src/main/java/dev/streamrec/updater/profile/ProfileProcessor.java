package dev.streamrec.updater.profile;

import dev.streamrec.schemas.Interaction;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.updater.clean.Deduplicator;
import dev.streamrec.updater.clean.RecentEvents;
import java.util.Map;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The per-user profile step, keyed by user id: de-duplication, then the profile.
 *
 * <p>Stores (RocksDB, changelogged): {@code profile-store} (userId → {@link UserProfile}), read
 * here and written by the user stage, {@code user-items-store} (userId NUL itemId → kind
 * flags, see {@link UserItems}), where a user's history goes once it outgrows the profile, and
 * {@code dedupe-store}, where a user's recent events go once they outgrow the profile (see
 * {@link Deduplicator}). A duplicate is dropped here, before anything counts it. Emits a
 * {@link ProfileStep} per interaction: the new profile, the user's item history (so the user stage
 * need not read it again) and the interaction, marked anomalous when the user's behaviour looks
 * bot-like so the learner can skip it while it is still counted. The user stage, which every
 * ProfileStep reaches in the same call, adds the factors it learned and stores and publishes the
 * profile once: one store write and one changelog record per event instead of two of each.
 */
public final class ProfileProcessor implements FixedKeyProcessor<String, Interaction, ProfileStep> {
    private final ProfileAggregator aggregator;
    private final AnomalyDetector anomalies;
    private final Deduplicator deduplicator;
    private final String profileStoreName;
    private final String userItemsStoreName;
    private final String dedupeStoreName;
    private FixedKeyProcessorContext<String, ProfileStep> context;
    private KeyValueStore<String, UserProfile> profiles;
    private KeyValueStore<String, Integer> userItems;

    public ProfileProcessor(final ProfileAggregator aggregator, final AnomalyDetector anomalies, final Deduplicator deduplicator,
                            final String profileStoreName, final String userItemsStoreName, final String dedupeStoreName) {
        this.aggregator = aggregator;
        this.anomalies = anomalies;
        this.deduplicator = deduplicator;
        this.profileStoreName = profileStoreName;
        this.userItemsStoreName = userItemsStoreName;
        this.dedupeStoreName = dedupeStoreName;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, ProfileStep> context) {
        this.context = context;
        this.profiles = context.getStateStore(profileStoreName);
        this.userItems = context.getStateStore(userItemsStoreName);
        final WindowStore<String, Long> filedEvents = context.getStateStore(dedupeStoreName);
        deduplicator.init(filedEvents);
    }

    @Override
    public void process(final FixedKeyRecord<String, Interaction> record) {
        final Interaction event = record.value();
        final String userId = event.getUserId();
        final UserProfile previous = profiles.get(userId);
        final RecentEvents recent = deduplicator.memoryOf(previous, context.currentStreamTimeMs());
        if (!deduplicator.admit(recent, userId, event.getEventId(), record.timestamp())) {
            return; // a retry of an event already counted
        }
        final Map<String, Integer> history = UserItems.read(userItems, userId, previous);
        final Integer flags = history != null ? history.get(event.getItemId())
                : userItems.get(UserItems.key(userId, event.getItemId()));
        final int newFlags = (flags == null ? 0 : flags) | UserItems.flag(event.getKind());
        final Map<String, Integer> inProfile = remember(userId, history, event.getItemId(), flags, newFlags);

        if (previous != null && previous.getLastEventTime().toEpochMilli() > 0) {
            anomalies.observeGap(event.getEventTime().toEpochMilli() - previous.getLastEventTime().toEpochMilli());
        }
        final UserProfile profile = aggregator.apply(previous, event, flags == null, context.currentSystemTimeMs());
        profile.setItemHistory(inProfile);
        profile.setRecentEvents(recent.pack());
        final String anomaly = anomalies.assess(profile);
        profile.setAnomalous(anomaly != null);
        profile.setAnomalyReason(anomaly);

        event.setAnomalous(anomaly != null);
        context.forward(record.withValue(new ProfileStep(profile, event, flags == null, history)));
    }

    /**
     * Records the event's item in the user's history (see {@link UserItems}): in {@code history},
     * the whole history read for this event, or in the store when that is null. Returns the map to
     * keep in the profile, or null once the history lives in the store: when it outgrows the
     * profile, every entry is written to the store, where the user's history stays from then on.
     */
    private Map<String, Integer> remember(final String userId, final Map<String, Integer> history, final String itemId,
                                          final Integer flags, final int newFlags) {
        if (history == null) {
            if (flags == null || newFlags != flags) {
                userItems.put(UserItems.key(userId, itemId), newFlags);
            }
            return null;
        }
        history.put(itemId, newFlags);
        if (history.size() <= UserItems.IN_PROFILE_MAX_ITEMS) {
            return history;
        }
        history.forEach((item, itemFlags) -> userItems.put(UserItems.key(userId, item), itemFlags));
        return null;
    }
}
