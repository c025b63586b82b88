package dev.streamrec.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * An in-memory registry behind {@code mock://scope} URLs, for unit tests and the local demo, like
 * Confluent's mock registry: every client that names the same scope in the same JVM shares one
 * registry. Ids are global across subjects and a schema registered twice keeps its id. Registering
 * under a subject checks BACKWARD compatibility against the subject's latest version (Confluent's
 * default level), using Avro's own {@link SchemaCompatibility}.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {
    /** The URL prefix that selects this registry instead of HTTP. */
    public static final String MOCK_URL_PREFIX = "mock://";

    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();

    /** The shared registry of {@code scope}; created on first use. */
    public static InMemorySchemaRegistry forScope(final String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    /**
     * Forgets the registry of {@code scope}, and the shared clients in front of it, so the next test
     * starts empty. Serdes configured before keep the old registry.
     */
    public static void dropScope(final String scope) {
        SCOPES.remove(scope);
        SchemaRegistryClients.dropMockScope(scope);
    }

    @Override
    public synchronized int register(final String subject, final Schema schema) {
        final List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(schema)) {
            if (!versions.isEmpty()) {
                final Schema latest = versions.get(versions.size() - 1);
                final SchemaCompatibility.SchemaPairCompatibility result =
                        SchemaCompatibility.checkReaderWriterCompatibility(schema, latest);
                if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    throw new SchemaRegistryException("Schema being registered is incompatible with the latest version: "
                            + result.getDescription(), subject, 409, 409, null);
                }
            }
            versions.add(schema);
        }
        return idsBySchema.computeIfAbsent(schema, s -> {
            final int id = schemasById.size() + 1;
            schemasById.put(id, s);
            return id;
        });
    }

    @Override
    public synchronized int idOf(final String subject, final Schema schema) {
        final List<Schema> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException("Subject not found", subject, 404, 40401, null);
        }
        if (!versions.contains(schema)) {
            throw new SchemaRegistryException("Schema not found", subject, 404, 40403, null);
        }
        return idsBySchema.get(schema);
    }

    @Override
    public synchronized Schema schemaById(final int id) {
        final Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema " + id + " not found", "id:" + id, 404, 40403, null);
        }
        return schema;
    }
}
