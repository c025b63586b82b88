package dev.streamrec.bench.e2e;

import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Watches what the application has published and committed, as a downstream client would see it:
 * a {@code read_committed} consumer of {@code profiles.users} and {@code recommendations.users}.
 *
 * <p>When is an event "through"? A user is complete when (a) their latest committed profile counts
 * every event the benchmark sent for them (clicks + purchases + ratings), and (b) a committed
 * Recommendations for them was generated at or after that profile's {@code updatedAt}: the list
 * was computed after the user's last event was learned (same task, same clock). Under
 * exactly-once both become visible only when the transaction that consumed the event commits, so
 * the commit delay is included. The run is through when every user is complete. (Equal
 * milliseconds could, rarely, count a list computed just before the last event; the error is at
 * most one refresh interval for one user.)
 *
 * <p>Latency: for each Recommendations, receive wall time − triggerIngestTime (the ingest time of
 * the oldest event the list is the first to reflect), and generatedAt − triggerIngestTime (the
 * same without the commit and fetch), recorded while {@link #recordLatencies} is on.
 */
final class OutputWatcher implements AutoCloseable {
    private static final class UserState {
        final AtomicInteger expected = new AtomicInteger();
        /** Send wall times of this user's events not yet reflected in a received list, oldest first. */
        final Queue<Long> unlisted = new ConcurrentLinkedQueue<>();
        /** (count, updatedAt) of profiles newer than the last received list, oldest first. */
        final ArrayDeque<long[]> unlistedProfiles = new ArrayDeque<>();
        /** (generatedAt, received) of the latest lists: a list can arrive before the profile it reflects. */
        final ArrayDeque<long[]> recentLists = new ArrayDeque<>();
        int counted;
        /** Events already attributed to a received list. */
        long listed;
        long profileUpdatedAt;
        long lastGeneratedAt;
        boolean complete;
    }

    private final Map<String, UserState> users = new ConcurrentHashMap<>();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String profilesTopic;
    private final Thread thread;
    private final Projection profiles = new Projection(UserProfile.getClassSchema(),
            "userId", "clickCount", "purchaseCount", "ratingCount", "updatedAt");
    private final Projection recommendations = new Projection(Recommendations.getClassSchema(),
            "userId", "generatedAt", "triggerIngestTime");

    private volatile boolean running = true;
    private volatile boolean sendingDone;
    private volatile boolean recordLatencies;
    private volatile boolean trackSends;
    private volatile long completedAtMs;
    private volatile long reflectedEvents;
    private volatile long recommendationsSeen;
    private int completeUsers;
    private final LongSamples endToEndLatency = new LongSamples();
    private final LongSamples generationLatency = new LongSamples();
    private final LongSamples sendLatency = new LongSamples();
    private final List<long[]> timeline = new ArrayList<>();

    OutputWatcher(final String bootstrap, final String profilesTopic, final String recommendationsTopic) {
        final Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.profilesTopic = profilesTopic;
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final String topic : List.of(profilesTopic, recommendationsTopic)) {
            for (final PartitionInfo p : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, p.partition()));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = new Thread(this::run, "bench-output-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Counts one more event sent for {@code userId}; call just before sending it. */
    void expect(final String userId) {
        final UserState user = users.computeIfAbsent(userId, id -> new UserState());
        user.expected.incrementAndGet();
        if (trackSends) {
            user.unlisted.add(System.currentTimeMillis());
        }
    }

    /**
     * Also measure latency from the producer's send: per event, receive time of the first committed
     * list computed after the event was learned − the time the harness sent it. Unlike
     * triggerIngestTime (stamped when the application reads the event), this includes any queueing
     * in the input topic, i.e. it stays honest if the application falls behind the offered load.
     */
    void trackSends() {
        trackSends = true;
    }

    /** No more events will be sent: completion can now be judged. */
    void sendingDone() {
        sendingDone = true;
    }

    void recordLatencies(final boolean on) {
        recordLatencies = on;
    }

    /** Wall time at which every user became complete, or 0 while not yet (or on timeout). */
    long awaitComplete(final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (completedAtMs == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return completedAtMs;
    }

    long reflectedEvents() {
        return reflectedEvents;
    }

    long recommendationsSeen() {
        return recommendationsSeen;
    }

    /** (wall ms, events reflected in profiles, recommendations received), about every 250 ms. */
    synchronized List<long[]> timeline() {
        return List.copyOf(timeline);
    }

    synchronized LongSamples endToEndLatency() {
        return endToEndLatency.copy();
    }

    synchronized LongSamples sendLatency() {
        return sendLatency.copy();
    }

    synchronized LongSamples generationLatency() {
        return generationLatency.copy();
    }

    private void run() {
        boolean judged = false;
        long nextSample = 0;
        while (running) {
            final var records = consumer.poll(Duration.ofMillis(50));
            final long now = System.currentTimeMillis();
            synchronized (this) {
                for (final ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.value() == null) {
                        continue;
                    }
                    if (record.topic().equals(profilesTopic)) {
                        onProfile(profiles.read(record.value()), judged);
                    } else {
                        onRecommendations(recommendations.read(record.value()), now, judged);
                    }
                }
                if (!judged && sendingDone) {
                    judged = true;
                    completeUsers = 0;
                    users.values().forEach(this::judge);
                }
                if (judged && completedAtMs == 0 && completeUsers == users.size()) {
                    completedAtMs = now;
                }
                if (now >= nextSample) {
                    timeline.add(new long[] {now, reflectedEvents, recommendationsSeen});
                    nextSample = now + 250;
                }
            }
        }
    }

    private void onProfile(final GenericRecord profile, final boolean judged) {
        final UserState user = users.computeIfAbsent(profile.get("userId").toString(), id -> new UserState());
        final int counted = (int) ((Long) profile.get("clickCount") + (Long) profile.get("purchaseCount")
                + (Long) profile.get("ratingCount"));
        if (counted > user.counted) {
            reflectedEvents += counted - user.counted;
            user.counted = counted;
            user.profileUpdatedAt = (Long) profile.get("updatedAt");
            if (trackSends) {
                onProfileForSends(user, counted);
            }
        }
        if (judged) {
            judge(user);
        }
    }

    private void onRecommendations(final GenericRecord list, final long now, final boolean judged) {
        recommendationsSeen++;
        final UserState user = users.computeIfAbsent(list.get("userId").toString(), id -> new UserState());
        final long generatedAt = (Long) list.get("generatedAt");
        final long trigger = (Long) list.get("triggerIngestTime");
        user.lastGeneratedAt = Math.max(user.lastGeneratedAt, generatedAt);
        if (recordLatencies && trigger > 0) {
            endToEndLatency.add(now - trigger);
            generationLatency.add(generatedAt - trigger);
        }
        if (trackSends) {
            onListForSends(user, generatedAt, now);
        }
        if (judged) {
            judge(user);
        }
    }

    /**
     * Send-based latency bookkeeping. Profiles and lists travel on different topics, so either may
     * be read first: a list reflects the events a profile counts when the profile's updatedAt is at
     * or before the list's generatedAt, and the events' latency ends at that list's receive time.
     */
    private void onProfileForSends(final UserState user, final int counted) {
        for (final long[] list : user.recentLists) {
            if (list[0] >= user.profileUpdatedAt) {
                attribute(user, counted, list[1]);
                return;
            }
        }
        user.unlistedProfiles.add(new long[] {counted, user.profileUpdatedAt});
    }

    private void onListForSends(final UserState user, final long generatedAt, final long receivedAt) {
        while (!user.unlistedProfiles.isEmpty() && user.unlistedProfiles.peek()[1] <= generatedAt) {
            attribute(user, user.unlistedProfiles.poll()[0], receivedAt);
        }
        user.recentLists.add(new long[] {generatedAt, receivedAt});
        if (user.recentLists.size() > 4) {
            user.recentLists.poll();
        }
    }

    /** Events up to the {@code count}-th of the user reached a committed list received at {@code receivedAt}. */
    private void attribute(final UserState user, final long count, final long receivedAt) {
        while (user.listed < count && !user.unlisted.isEmpty()) {
            final long sentAt = user.unlisted.poll();
            user.listed++;
            if (recordLatencies) {
                sendLatency.add(receivedAt - sentAt);
            }
        }
    }

    private void judge(final UserState user) {
        final boolean complete = user.counted >= user.expected.get() && user.lastGeneratedAt >= user.profileUpdatedAt
                && user.profileUpdatedAt > 0;
        if (complete != user.complete) {
            completeUsers += complete ? 1 : -1;
            user.complete = complete;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5000);
        consumer.close();
    }
}
