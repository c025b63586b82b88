package dev.streamrec.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamrec.service.http.dto.ErrorView;
import io.javalin.http.HttpStatus;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's answer to a request it refuses before Javalin sees it (a path that is not valid
 * percent-encoding, a malformed header, headers too large, a {@code *} target on a GET: 400, 431
 * and the like), as the API's JSON {@link ErrorView} instead of Jetty's HTML page, so every error
 * a client gets has one shape and names the instance in {@link Forwarder#SERVED_BY_HEADER}.
 *
 * <p>Jetty (11) asks the server's {@link ErrorHandler} bean for the body of "bad message" answers
 * (refused while parsing) through {@link #badMessageError}, and for the body of errors raised after
 * parsing but before any handler (such as a {@code *} target) through
 * {@link #generateAcceptableResponse}; other errors are Javalin's own and already JSON.
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
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        fields.put(Forwarder.SERVED_BY_HEADER, self);
        return ByteBuffer.wrap(body(status, reason));
    }

    @Override
    protected void generateAcceptableResponse(final Request baseRequest, final HttpServletRequest request,
                                              final HttpServletResponse response, final int code,
                                              final String message) throws IOException {
        final byte[] body = body(code, message);
        response.setContentType("application/json");
        response.setHeader(Forwarder.SERVED_BY_HEADER, self);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        baseRequest.setHandled(true);
    }

    private byte[] body(final int status, final String reason) {
        final String error = HttpStatus.forStatus(status).getMessage();
        final String message = "the request could not be read: " + (reason == null ? error : reason);
        try {
            return json.writeValueAsBytes(new ErrorView(status, error, message));
        } catch (final JsonProcessingException e) {
            return ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
    }
}
