package dev.streamrec.updater.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.serde.InMemorySchemaRegistry;
import dev.streamrec.updater.config.UpdaterConfig;
import dev.streamrec.updater.model.DecayedCount;
import dev.streamrec.updater.topology.Topics;
import java.time.Instant;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ItemStateSerdeTest {
    private static final String TOPIC = "app-item-factors-store-changelog";

    private final String scope = "item-state-" + UUID.randomUUID();
    private final Topics topics = new Topics(UpdaterConfig.of(Map.of("schema.registry.url", "mock://" + scope)));
    private final Serde<ItemFactors> avro = topics.itemFactors.valueSerde();
    private final ItemStateSerde serde = new ItemStateSerde(avro.deserializer());

    @AfterEach
    void dropRegistry() {
        InMemorySchemaRegistry.dropScope(scope);
    }

    private static void assertSameState(final ItemState actual, final ItemState expected) {
        assertThat(actual.factors()).containsExactly(expected.factors());
        assertThat(List.of(actual.bias(), actual.interactionBias())).containsExactly(expected.bias(), expected.interactionBias());
        assertThat(List.of(actual.ratingCount(), actual.positiveCount(), actual.version(), actual.updateCount(),
                actual.updatedAtMillis())).containsExactly(expected.ratingCount(), expected.positiveCount(),
                expected.version(), expected.updateCount(), expected.updatedAtMillis());
        assertThat(actual.trending()).isEqualTo(expected.trending());
    }

    @Test
    void everyFieldSurvivesTheRoundTripBitForBit() {
        final ItemState state = new ItemState(new float[] {0.25f, -1.5e-7f, Float.MIN_VALUE, 3f}, -0.125f, 0.75f,
                7L, 11L, 1L << 40, 13L, 1_780_000_000_123L, new DecayedCount(2.718281828459045, 1_780_000_000_100L));
        final byte[] bytes = serde.serializer().serialize(TOPIC, state);
        assertThat(bytes[0]).isEqualTo(ItemStateSerde.FORMAT);
        assertThat(bytes).hasSize(1 + 5 * 8 + 2 * 4 + 8 + 8 + 4 + 4 * 4);
        assertSameState(serde.deserializer().deserialize(TOPIC, bytes), state);
    }

    @Test
    void theStateBeforeTheFirstStepRoundTripsAsEmpty() {
        assertThat(serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, ItemState.EMPTY)).isEmpty())
                .isTrue();
        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void storesWrittenInTheAvroWireFormatBeforeThisLayoutAreStillRead() {
        final ItemFactors old = ItemFactors.newBuilder().setItemId("i-1").setFactors(List.of(0.5f, -0.25f))
                .setBias(0.1f).setInteractionBias(-0.2f).setRatingCount(3).setPositiveCount(4).setVersion(5)
                .setUpdateCount(6).setUpdatedAt(Instant.ofEpochMilli(1_700_000_000_000L)).build();
        final ItemState read = serde.deserializer().deserialize(TOPIC, avro.serializer().serialize(TOPIC, old));
        assertSameState(read, new ItemState(new float[] {0.5f, -0.25f}, 0.1f, -0.2f, 3, 4, 5, 6, 1_700_000_000_000L,
                DecayedCount.NONE));
        assertThat(read.toRecord("i-1")).isEqualTo(old);
    }

    @Test
    void statesWrittenInTheFirstBinaryLayoutAreReadWithNoTrendingCount() {
        // Format 1, as written before the trending count existed (changelogs outlive upgrades):
        // format byte, version, updateCount, positiveCount, ratingCount, updatedAt, bias,
        // interactionBias, factor count, factors.
        final byte[] v1 = ByteBuffer.allocate(1 + 5 * 8 + 2 * 4 + 4 + 2 * 4).put((byte) 1)
                .putLong(5).putLong(6).putLong(4).putLong(3).putLong(1_700_000_000_000L)
                .putFloat(0.1f).putFloat(-0.2f).putInt(2).putFloat(0.5f).putFloat(-0.25f).array();
        final ItemState read = serde.deserializer().deserialize(TOPIC, v1);
        // The lifetime positiveCount (4) is not taken as trending: the count starts afresh.
        assertSameState(read, new ItemState(new float[] {0.5f, -0.25f}, 0.1f, -0.2f, 3, 4, 5, 6, 1_700_000_000_000L,
                DecayedCount.NONE));
        final byte[] rewritten = serde.serializer().serialize(TOPIC, read);
        assertThat(rewritten[0]).as("rewritten in the current layout").isEqualTo(ItemStateSerde.FORMAT);
        assertSameState(serde.deserializer().deserialize(TOPIC, rewritten), read);
    }

    @Test
    void bytesOfAnotherFormatOrCutShortAreRefusedWithTheReason() {
        final byte[] good = serde.serializer().serialize(TOPIC, new ItemState(new float[] {1f, 2f}, 0f, 0f, 0, 0, 1, 1, 0,
                DecayedCount.NONE));
        final byte[] unknown = good.clone();
        unknown[0] = 9;
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, unknown))
                .isInstanceOf(SerializationException.class).hasMessageContaining("first byte 9");
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("declares 2 factors");
        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, Arrays.copyOf(good, 10)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Truncated");
    }
}
