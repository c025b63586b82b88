package dev.streamrec.service.http;

/**
 * What to send back for a forwarded request: the owner's answer, or one made up here when the owner
 * could not be reached. {@code retryAfter} and {@code servedBy} may be null.
 */
record ForwardedResponse(int status, byte[] body, String contentType, String retryAfter, String servedBy) {
}
