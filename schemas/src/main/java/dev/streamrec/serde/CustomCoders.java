package dev.streamrec.serde;

import org.apache.avro.Conversions;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.specific.SpecificData;

/**
 * The Avro data model the serde's readers and writers use: Avro's own {@link SpecificData} with
 * the generated classes' custom coders switched on. Generated records whose fields allow it
 * (here {@code ItemUpdate}, {@code RecommendedItem}, {@code UserFactors}, {@code CategoryAffinity})
 * carry code that encodes and decodes their fields directly instead of walking the schema; the
 * bytes are the same (Avro specification, "Binary Encoding"), only cheaper to make. Avro leaves
 * them off unless the {@code org.apache.avro.specific.use_custom_coders} system property is set
 * before its classes load, which a library cannot rely on, so the model is configured here.
 * Records without custom coders (those with logical-type fields) take the ordinary path.
 *
 * <p>The model also carries the logical-type conversions that generated classes declare in their
 * own models: Avro fills a reader field the writer lacks from its default through the model, not
 * through the record, so without them a {@code timestamp-millis} default arrives as a raw
 * {@code Long} and the generated {@code put} fails casting it to {@code Instant}. Decimal is left
 * out on purpose: this build generates {@code decimal} fields as {@code ByteBuffer} (the
 * avro-maven-plugin's {@code enableDecimalLogicalType} is off), and a decimal conversion would hand
 * those fields {@code BigDecimal}s.
 */
final class CustomCoders {
    static final SpecificData MODEL = model();

    private CustomCoders() {
    }

    private static SpecificData model() {
        final SpecificData model = new SpecificData(CustomCoders.class.getClassLoader());
        model.setCustomCoders(true);
        // The conversions avro-compiler 1.12 generates code for (java.time types, java.util.UUID).
        model.addLogicalTypeConversion(new TimeConversions.DateConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimestampNanosConversion());
        model.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
        model.addLogicalTypeConversion(new TimeConversions.LocalTimestampMicrosConversion());
        model.addLogicalTypeConversion(new TimeConversions.LocalTimestampNanosConversion());
        model.addLogicalTypeConversion(new Conversions.UUIDConversion());
        return model;
    }
}
