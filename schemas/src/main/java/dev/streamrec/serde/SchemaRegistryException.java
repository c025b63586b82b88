package dev.streamrec.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A schema registry refused a request or could not be reached.
 *
 * <p>Carries what a user needs to fix the cause: the subject (or schema id) asked about, the HTTP
 * status, and the registry's own {@code error_code} (Confluent's REST API codes, for example 40401
 * subject not found, 40403 schema not found, 409 / 42201 incompatible or invalid schema). Status and
 * error code are {@code -1} where the request never got an answer (timeout, connection refused).
 *
 * <p>Extends Kafka's {@link SerializationException} so producers and Kafka Streams' exception
 * handlers treat it as the serialization failure it is.
 */
public class SchemaRegistryException extends SerializationException {
    private static final long serialVersionUID = 1L;

    private final String subject;
    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(final String message, final String subject, final int httpStatus,
                                   final int errorCode, final Throwable cause) {
        super(message + " [subject=" + subject + ", status=" + httpStatus + ", error_code=" + errorCode + "]", cause);
        this.subject = subject;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The subject, or {@code "id:<n>"} for a look-up by schema id. */
    public String subject() {
        return subject;
    }

    /** HTTP status of the registry's answer, or -1 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code}, or -1 when there was none. */
    public int errorCode() {
        return errorCode;
    }

    /** Confluent's {@code error_code} for "schema not found", which Apicurio's ccompat API uses too. */
    public static final int SCHEMA_NOT_FOUND = 40403;

    /**
     * Whether the registry answered that the schema does not exist (404 with error code
     * {@value #SCHEMA_NOT_FOUND}): the record's fault, as it will be every time. Anything else (no
     * answer, a 5xx after the retries, another refusal) is the registry's, and a record failing
     * with it may decode once the registry answers again, so error handlers must not drop it. That
     * includes a 404 without the code: a wrong base path (Apicurio without
     * {@code /apis/ccompat/v7}, a proxy) answers every call so, and taking it for an unknown schema
     * set every record aside while the offsets moved on. "Subject not found" (40401) is no record's
     * fault either: a reader looks schemas up by id, and a writer's subject is configuration.
     */
    public boolean isUnknownSchema() {
        return httpStatus == 404 && errorCode == SCHEMA_NOT_FOUND;
    }

    /** The first {@code SchemaRegistryException} in {@code failure}'s cause chain, or null (the serde wraps it). */
    public static SchemaRegistryException in(final Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException e) {
                return e;
            }
        }
        return null;
    }
}
