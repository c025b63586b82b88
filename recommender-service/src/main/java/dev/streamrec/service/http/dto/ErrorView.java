package dev.streamrec.service.http.dto;

/** Every error response's body: the HTTP status, its reason phrase and a message a person can act on. */
public record ErrorView(int status, String error, String message) {
}
