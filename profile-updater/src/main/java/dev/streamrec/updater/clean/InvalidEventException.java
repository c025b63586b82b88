package dev.streamrec.updater.clean;

/**
 * Thrown by validation for an event the system cannot use. Kafka Streams hands it to
 * {@link dev.streamrec.updater.errors.DeadLetterProcessingHandler}, which has the record's original
 * key and value bytes and its source topic, partition and offset, and writes the dead letter; the
 * application continues with the next record.
 */
public final class InvalidEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public InvalidEventException(final RejectReason reason, final String message) {
        // No stack trace: this is an expected outcome on a hot path, not a bug.
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
