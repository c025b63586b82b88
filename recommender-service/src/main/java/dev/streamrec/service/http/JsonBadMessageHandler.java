package dev.streamrec.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamrec.service.http.dto.ErrorView;
import io.javalin.http.HttpStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's answer to a request it refuses before Javalin sees it (a path that is not valid
 * percent-encoding, a malformed header, headers too large: 400, 431 and the like), as the API's JSON
 * {@link ErrorView} instead of Jetty's HTML page, so every error a client gets has one shape.
 *
 * <p>Jetty (11) asks the server's {@link ErrorHandler} bean for the body of these "bad message"
 * answers through {@link #badMessageError}; other errors are Javalin's own and already JSON.
 */
final class JsonBadMessageHandler extends ErrorHandler {
    private final ObjectMapper json;
    private final String self;

    JsonBadMessageHandler(final ObjectMapper json, final String self) {
        this.json = json;
        this.self = self;
    }

    @Override
    public ByteBuffer badMessageError(final int status, final String reason, final HttpFields.Mutable fields) {
        final String error = HttpStatus.forStatus(status).getMessage();
        final String message = "the request could not be read: " + (reason == null ? error : reason);
        byte[] body;
        try {
            body = json.writeValueAsBytes(new ErrorView(status, error, message));
        } catch (final JsonProcessingException e) {
            body = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(Forwarder.SERVED_BY_HEADER, self);
        return ByteBuffer.wrap(body);
    }
}
