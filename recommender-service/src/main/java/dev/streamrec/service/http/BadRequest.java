package dev.streamrec.service.http;

/** A request the service refuses to act on; answered 400 with the message. */
final class BadRequest extends RuntimeException {
    BadRequest(final String message) {
        super(message, null, false, false);
    }
}
