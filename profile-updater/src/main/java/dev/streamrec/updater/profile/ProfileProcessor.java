package dev.streamrec.updater.profile;

import dev.streamrec.schemas.Interaction;
import dev.streamrec.schemas.UserProfile;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The per-user profile step, keyed by user id.
 *
 * <p>Stores (RocksDB, changelogged): {@code profile-store} (userId → {@link UserProfile}), read
 * here and written by the user stage, and {@code user-items-store} (userId NUL itemId → kind
 * flags, see {@link UserItems}), read once per event in one prefix scan and written here. Emits a
 * {@link ProfileStep} per interaction: the new profile, the user's item history (so the user stage
 * need not read it again) and the interaction, marked anomalous when the user's behaviour looks
 * bot-like so the learner can skip it while it is still counted. The user stage, which every
 * ProfileStep reaches in the same call, adds the factors it learned and stores and publishes the
 * profile once: one store write and one changelog record per event instead of two of each.
 */
public final class ProfileProcessor implements FixedKeyProcessor<String, Interaction, ProfileStep> {
    private final ProfileAggregator aggregator;
    private final AnomalyDetector anomalies;
    private final String profileStoreName;
    private final String userItemsStoreName;
    private FixedKeyProcessorContext<String, ProfileStep> context;
    private KeyValueStore<String, UserProfile> profiles;
    private KeyValueStore<String, Integer> userItems;

    public ProfileProcessor(final ProfileAggregator aggregator, final AnomalyDetector anomalies,
                            final String profileStoreName, final String userItemsStoreName) {
        this.aggregator = aggregator;
        this.anomalies = anomalies;
        this.profileStoreName = profileStoreName;
        this.userItemsStoreName = userItemsStoreName;
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, ProfileStep> context) {
        this.context = context;
        this.profiles = context.getStateStore(profileStoreName);
        this.userItems = context.getStateStore(userItemsStoreName);
    }

    @Override
    public void process(final FixedKeyRecord<String, Interaction> record) {
        final Interaction event = record.value();
        final String userId = event.getUserId();
        final UserProfile previous = profiles.get(userId);
        final Map<String, Integer> history = history(userId, previous);
        final String itemKey = UserItems.key(userId, event.getItemId());
        final Integer flags = history != null ? history.get(event.getItemId()) : userItems.get(itemKey);
        final int newFlags = (flags == null ? 0 : flags) | UserItems.flag(event.getKind());
        if (flags == null || newFlags != flags) {
            userItems.put(itemKey, newFlags);
        }
        if (history != null) {
            history.put(event.getItemId(), newFlags);
        }

        if (previous != null && previous.getLastEventTime().toEpochMilli() > 0) {
            anomalies.observeGap(event.getEventTime().toEpochMilli() - previous.getLastEventTime().toEpochMilli());
        }
        final UserProfile profile = aggregator.apply(previous, event, flags == null, context.currentSystemTimeMs());
        final String anomaly = anomalies.assess(profile);
        profile.setAnomalous(anomaly != null);
        profile.setAnomalyReason(anomaly);

        event.setAnomalous(anomaly != null);
        context.forward(record.withValue(new ProfileStep(profile, event, flags == null, history)));
    }

    /**
     * The user's items before this event, read once for the whole event (see
     * {@link UserItems#SCAN_MAX_ITEMS}); null for users with too many to scan. A user without a
     * profile has none: this step writes their items and the user stage their profile for the
     * same record, in the same transaction, so one never exists without the other.
     */
    private Map<String, Integer> history(final String userId, final UserProfile previous) {
        if (previous == null) {
            return new HashMap<>();
        }
        return previous.getDistinctItems() <= UserItems.SCAN_MAX_ITEMS ? UserItems.history(userItems, userId) : null;
    }
}
