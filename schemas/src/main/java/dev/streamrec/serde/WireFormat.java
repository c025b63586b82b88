package dev.streamrec.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's Schema Registry wire format: one magic byte {@code 0}, the schema id as a 4-byte
 * big-endian int, then the Avro binary encoding of the datum (Avro 1.12 specification, "Binary
 * Encoding"; Confluent documentation, "Wire format").
 */
public final class WireFormat {
    /** The only magic byte defined so far. */
    public static final byte MAGIC_BYTE = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Writes the 5-byte header into {@code target} at offset 0. */
    public static void writeHeader(final byte[] target, final int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }

    /**
     * Reads the schema id from a framed payload.
     *
     * @throws SerializationException when the payload is too short or its magic byte is unknown
     */
    public static int schemaId(final byte[] payload) {
        if (payload == null || payload.length < HEADER_SIZE) {
            throw new SerializationException("Not Schema Registry wire format: "
                    + (payload == null ? "null payload" : payload.length + " bytes, need at least " + HEADER_SIZE));
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException("Not Schema Registry wire format: unknown magic byte " + payload[0]);
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }
}
