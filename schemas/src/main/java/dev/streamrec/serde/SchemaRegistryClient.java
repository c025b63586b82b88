package dev.streamrec.serde;

import org.apache.avro.Schema;

/**
 * The three Schema Registry operations a serde needs, over Confluent's REST API semantics.
 * Implementations: {@link HttpSchemaRegistryClient} (a real registry), {@link InMemorySchemaRegistry}
 * ({@code mock://scope} URLs) and {@link CachingSchemaRegistryClient} in front of either.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}),
     * or returns the id it already has there.
     *
     * @throws SchemaRegistryException when the registry refuses it (for example incompatible)
     */
    int register(String subject, Schema schema);

    /**
     * Returns the id of a schema already registered under {@code subject}
     * ({@code POST /subjects/{subject}}), without registering it.
     *
     * @throws SchemaRegistryException when the subject or the schema is unknown
     */
    int idOf(String subject, Schema schema);

    /**
     * Returns the schema registered with {@code id} ({@code GET /schemas/ids/{id}}).
     *
     * @throws SchemaRegistryException when no schema has that id
     */
    Schema schemaById(int id);
}
