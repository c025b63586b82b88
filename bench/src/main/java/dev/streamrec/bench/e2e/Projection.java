package dev.streamrec.bench.e2e;

import dev.streamrec.serde.WireFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads only a few fields of an Avro value in the registry wire format, by Avro schema resolution
 * against a reader schema that lists just those fields: the rest are skipped, not materialised.
 * The benchmark reads every profile and recommendation the application publishes; decoding them in
 * full would steal CPU from the application under test on a two-core machine.
 */
final class Projection {
    private final GenericDatumReader<GenericRecord> reader;
    private BinaryDecoder decoder;
    private GenericRecord reuse;

    /** @param fields {@code "name": "type"} pairs, as JSON fragments, of the fields to keep */
    Projection(final Schema writer, final String... fields) {
        final StringBuilder json = new StringBuilder("{\"type\":\"record\",\"name\":\"")
                .append(writer.getFullName()).append("\",\"fields\":[");
        for (int i = 0; i < fields.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"").append(fields[i]).append("\",\"type\":\"")
                    .append(typeOf(writer, fields[i])).append("\"}");
        }
        this.reader = new GenericDatumReader<>(writer, new Schema.Parser().parse(json.append("]}").toString()));
    }

    private static String typeOf(final Schema writer, final String field) {
        return writer.getField(field).schema().getType().getName();
    }

    GenericRecord read(final byte[] framed) {
        decoder = DecoderFactory.get().binaryDecoder(framed, WireFormat.HEADER_SIZE,
                framed.length - WireFormat.HEADER_SIZE, decoder);
        try {
            reuse = reader.read(reuse, decoder);
            return reuse;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
