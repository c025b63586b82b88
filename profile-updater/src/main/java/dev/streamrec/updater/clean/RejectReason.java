package dev.streamrec.updater.clean;

/** Why an event went to the dead-letter topic; the value of the {@code streamrec.dlq.reason} header. */
public enum RejectReason {
    /** A tombstone or otherwise empty value on an event topic. */
    MISSING_VALUE,
    /** eventId, userId or itemId absent or blank after trimming. */
    MISSING_ID,
    /** An id longer than {@code validation.id.max.length} after trimming. */
    ID_TOO_LONG,
    /** A rating outside the configured scale, or not on its step. */
    RATING_OUT_OF_RANGE,
    /** A purchase quantity below 1. */
    INVALID_QUANTITY,
    /** A purchase price that is negative, NaN or infinite. */
    INVALID_PRICE,
    /** Event time further in the future than {@code validation.max.future.skew.ms}. */
    EVENT_IN_FUTURE,
    /** Event time older than {@code validation.max.age.ms}. */
    EVENT_TOO_OLD,
    /** The bytes could not be decoded (corrupt payload, not the wire format). */
    CORRUPT_RECORD,
    /** The payload names a schema id the registry does not know. */
    UNKNOWN_SCHEMA,
    /** A processing step failed unexpectedly on this record (a bug); kept so nothing is lost. */
    PROCESSING_ERROR,
    /** A record built from this one could not be serialised or written (see DeadLetterProductionHandler). */
    PRODUCTION_ERROR
}
