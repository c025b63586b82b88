package dev.streamrec.updater.learn;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.serde.WireFormat;
import dev.streamrec.updater.model.DecayedCount;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link ItemState} in {@code item-factors-store} and its changelog: a format byte, then the
 * counters, the biases and the factors, big-endian, nothing else. Measured on the drain profile of
 * the item stage (every item step reads its item from the store and writes it back): Avro's
 * generic reader and writer for {@link ItemFactors} were 36 % of the stream thread's samples,
 * boxing every factor on the way in and walking the schema on the way out.
 *
 * <p>Upgrades: stores and changelogs written before this format hold {@link ItemFactors} in
 * Confluent's wire format, whose first byte is {@link WireFormat#MAGIC_BYTE}; those are still
 * read, through {@code legacy}, and rewritten in this format on the item's next step. The format
 * byte versions the layout: {@value #FORMAT_V1} has no trending count, {@value #FORMAT} appends
 * it (score, then the time it is valued at) after the biases. Both are read, a version-1 state
 * with no trending count ({@link DecayedCount#NONE}): counting the item's lifetime positives as
 * trending would skew every instance's trending items, so the count starts at the upgrade and
 * is representative after a half-life.
 */
public final class ItemStateSerde implements Serde<ItemState> {
    /** First byte of the layout written before the trending count; distinct from Avro's magic byte 0. */
    static final byte FORMAT_V1 = 1;
    /** First byte of the current layout. */
    static final byte FORMAT = 2;
    private static final int HEADER_BYTES = 1 + 6 * Long.BYTES + 2 * Float.BYTES + Double.BYTES + Integer.BYTES;

    private final Deserializer<ItemFactors> legacy;

    /** @param legacy reads the Avro {@link ItemFactors} values that older versions stored */
    public ItemStateSerde(final Deserializer<ItemFactors> legacy) {
        this.legacy = legacy;
    }

    @Override
    public Serializer<ItemState> serializer() {
        return (topic, state) -> state == null ? null : write(state);
    }

    @Override
    public Deserializer<ItemState> deserializer() {
        return this::read;
    }

    static byte[] write(final ItemState state) {
        final float[] factors = state.factors();
        final ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + factors.length * Float.BYTES);
        out.put(FORMAT)
                .putLong(state.version())
                .putLong(state.updateCount())
                .putLong(state.positiveCount())
                .putLong(state.ratingCount())
                .putLong(state.updatedAtMillis())
                .putFloat(state.bias())
                .putFloat(state.interactionBias())
                .putDouble(state.trending().score())
                .putLong(state.trending().atMillis())
                .putInt(factors.length);
        out.asFloatBuffer().put(factors);
        return out.array();
    }

    private ItemState read(final String topic, final byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length > 0 && bytes[0] == WireFormat.MAGIC_BYTE) {
            return ItemState.of(legacy.deserialize(topic, bytes));
        }
        if (bytes.length == 0 || (bytes[0] != FORMAT && bytes[0] != FORMAT_V1)) {
            throw new SerializationException("Not an item-stage state in " + topic + ": first byte "
                    + (bytes.length == 0 ? "missing" : bytes[0]) + ", expected " + FORMAT + ", " + FORMAT_V1 + " or Avro's "
                    + WireFormat.MAGIC_BYTE);
        }
        try {
            final ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            final long version = in.getLong();
            final long updateCount = in.getLong();
            final long positiveCount = in.getLong();
            final long ratingCount = in.getLong();
            final long updatedAt = in.getLong();
            final float bias = in.getFloat();
            final float interactionBias = in.getFloat();
            final DecayedCount trending = bytes[0] == FORMAT_V1 ? DecayedCount.NONE
                    : new DecayedCount(in.getDouble(), in.getLong());
            final int length = in.getInt();
            if (length < 0 || length * (long) Float.BYTES != in.remaining()) {
                throw new SerializationException("Item-stage state in " + topic + " declares " + length
                        + " factors but carries " + in.remaining() + " bytes of them");
            }
            final float[] factors = new float[length];
            in.asFloatBuffer().get(factors);
            return new ItemState(factors, bias, interactionBias, ratingCount, positiveCount, version, updateCount,
                    updatedAt, trending);
        } catch (final BufferUnderflowException e) {
            throw new SerializationException("Truncated item-stage state in " + topic + " (" + bytes.length + " bytes)", e);
        }
    }
}
