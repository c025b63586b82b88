package dev.streamrec.serde;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Caches ids and schemas both ways in front of another client, so each schema costs one registry
 * call per client and then none. Schemas are immutable and ids never change meaning in a registry,
 * so entries never expire; the caches are as large as the number of schemas the process uses.
 */
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {
    private final SchemaRegistryClient delegate;
    private final Map<SubjectSchema, Integer> registeredIds = new ConcurrentHashMap<>();
    private final Map<SubjectSchema, Integer> lookedUpIds = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public CachingSchemaRegistryClient(final SchemaRegistryClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public int register(final String subject, final Schema schema) {
        final SubjectSchema key = new SubjectSchema(subject, schema);
        final Integer cached = registeredIds.get(key);
        if (cached != null) {
            return cached;
        }
        final int id = delegate.register(subject, schema);
        registeredIds.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public int idOf(final String subject, final Schema schema) {
        final SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = registeredIds.get(key);
        if (cached == null) {
            cached = lookedUpIds.get(key);
        }
        if (cached != null) {
            return cached;
        }
        final int id = delegate.idOf(subject, schema);
        lookedUpIds.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema schemaById(final int id) {
        final Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        final Schema schema = delegate.schemaById(id);
        schemasById.put(id, schema);
        return schema;
    }

    private record SubjectSchema(String subject, Schema schema) {
    }
}
