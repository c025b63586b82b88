package dev.streamrec.service.query;

import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.service.items.ItemVectors;
import dev.streamrec.service.items.ScoredItem;
import dev.streamrec.service.topology.ServiceStores;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@link RecommendationQueries} over a running {@link KafkaStreams}: stores
 * {@link ServiceStores#RECOMMENDATIONS} and {@link ServiceStores#PROFILES} (partitioned, keyed by
 * userId) through interactive queries, and the item vectors the global store feeds.
 *
 * <p>A keyed read asks {@code queryMetadataForKey} who owns the key's partition. When it is this
 * instance it reads exactly that partition's store ({@code withPartition}), so a partition that is
 * migrating in or out throws {@link InvalidStateStoreException} instead of answering from nothing;
 * that and {@link KeyQueryMetadata#NOT_AVAILABLE} become {@link Lookup.Unavailable}, never an empty
 * answer.
 */
public final class InteractiveQueries implements RecommendationQueries {
    private static final Serializer<String> KEYS = new StringSerializer();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final ItemVectors items;

    public InteractiveQueries(final KafkaStreams streams, final HostInfo self, final ItemVectors items) {
        this.streams = streams;
        this.self = self;
        this.items = items;
    }

    @Override
    public Lookup<Recommendations> recommendations(final String userId, final ReadMode mode) {
        return keyed(ServiceStores.RECOMMENDATIONS, userId, mode);
    }

    @Override
    public Lookup<UserProfile> profile(final String userId, final ReadMode mode) {
        return keyed(ServiceStores.PROFILES, userId, mode);
    }

    private <V> Lookup<V> keyed(final String store, final String key, final ReadMode mode) {
        final KeyQueryMetadata metadata;
        try {
            metadata = streams.queryMetadataForKey(store, key, KEYS);
        } catch (final InvalidStateStoreException | IllegalStateException e) {
            // StreamsNotStartedException (an InvalidStateStoreException) before start,
            // IllegalStateException while stopping or failed: nobody here can say who owns the key.
            return new Lookup.Unavailable<>("metadata is not available: " + e.getMessage());
        }
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)
                || HostInfo.unavailable().equals(metadata.activeHost())) {
            return new Lookup.Unavailable<>("the owner of the key is not known yet (rebalancing)");
        }
        final boolean activeHere = self.equals(metadata.activeHost());
        final boolean staleHere = mode == ReadMode.ALLOW_STALE && metadata.standbyHosts().contains(self);
        if (!activeHere && !staleHere) {
            return new Lookup.Elsewhere<>(metadata.activeHost().host(), metadata.activeHost().port());
        }
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> parameters = StoreQueryParameters
                .fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(metadata.partition());
        if (mode == ReadMode.ALLOW_STALE) {
            parameters = parameters.enableStaleStores();
        }
        try {
            final V value = streams.store(parameters).get(key);
            return value == null ? new Lookup.Absent<>() : new Lookup.Found<>(value);
        } catch (final InvalidStateStoreException | IllegalStateException e) {
            // Migrating, restoring or closed partition; or Kafka Streams left RUNNING/REBALANCING
            // between the metadata and the store look-up.
            return new Lookup.Unavailable<>("partition " + metadata.partition() + " of " + store
                    + " is not queryable here right now: " + e.getMessage());
        }
    }

    @Override
    public Lookup<List<ScoredItem>> similarItems(final String itemId, final int limit) {
        if (!items.loaded()) {
            return new Lookup.Unavailable<>("item factors are still loading");
        }
        final Optional<List<ScoredItem>> similar = items.similar(itemId, limit);
        return similar.<Lookup<List<ScoredItem>>>map(Lookup.Found::new).orElseGet(Lookup.Absent::new);
    }

    @Override
    public List<ScoredItem> popularItems(final int limit) {
        return items.popular(limit);
    }

    @Override
    public List<InstanceInfo> instances() {
        final Collection<StreamsMetadata> all;
        try {
            all = streams.metadataForAllStreamsClients();
        } catch (final InvalidStateStoreException | IllegalStateException notRunning) { // not started, or stopping
            throw new QueryUnavailableException("instance metadata unavailable while Kafka Streams is "
                    + streams.state() + ": " + notRunning.getMessage(), notRunning);
        }
        final List<InstanceInfo> out = new ArrayList<>();
        for (final StreamsMetadata m : all) {
            out.add(new InstanceInfo(m.host(), m.port(), self.equals(m.hostInfo()),
                    List.copyOf(new TreeSet<>(m.stateStoreNames())), byTopic(m.topicPartitions()),
                    byTopic(m.standbyTopicPartitions())));
        }
        out.sort((a, b) -> (a.host() + ":" + a.port()).compareTo(b.host() + ":" + b.port()));
        return out;
    }

    private static Map<String, List<Integer>> byTopic(final Collection<TopicPartition> partitions) {
        final Map<String, List<Integer>> out = new TreeMap<>();
        partitions.forEach(tp -> out.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        out.values().forEach(list -> list.sort(Integer::compare));
        return out;
    }

    @Override
    public String state() {
        return streams.state().name();
    }

    @Override
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /**
     * False in ERROR, PENDING_ERROR and NOT_RUNNING: Kafka Streams will not recover by itself (for
     * example the global thread died, which the uncaught exception handler's REPLACE_THREAD does
     * not cover), so only a restart of the process helps.
     */
    @Override
    public boolean alive() {
        final KafkaStreams.State state = streams.state();
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR
                && state != KafkaStreams.State.NOT_RUNNING;
    }
}
