package dev.streamrec.serde;

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
 */
final class CustomCoders {
    static final SpecificData MODEL = model();

    private CustomCoders() {
    }

    private static SpecificData model() {
        final SpecificData model = new SpecificData(CustomCoders.class.getClassLoader());
        model.setCustomCoders(true);
        return model;
    }
}
