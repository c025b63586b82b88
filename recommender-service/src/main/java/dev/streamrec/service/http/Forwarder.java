package dev.streamrec.service.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamrec.service.config.ServiceConfig;
import dev.streamrec.service.http.dto.ErrorView;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a request on to the instance that owns its key, over HTTP/1.1 with kept-alive connections,
 * and always completes within the forward timeout: with the owner's answer, or with a 503 (owner
 * unreachable, not done sending its whole answer in time, or the connection reset or closed before
 * a whole answer: it is probably restarting or moving, so try again) or a 502 (the owner answered
 * something that is not HTTP, or any other failure). Every forward carries
 * {@link #FORWARDED_HEADER} with this instance's {@code application.server}, so that the receiver,
 * finding there another member of the application, does not forward it again (see {@link HttpApi}).
 *
 * <p>Metric {@code streamrec.forward} times each forward, tagged by outcome.
 */
final class Forwarder {
    static final String FORWARDED_HEADER = "X-Streamrec-Forwarded-By";
    static final String SERVED_BY_HEADER = "X-Streamrec-Served-By";

    private final HttpClient client;
    private final Duration timeout;
    private final int retryAfterSeconds;
    private final ObjectMapper json;
    private final Timer ok;
    private final Timer unreachable;
    private final Timer failed;

    Forwarder(final Duration timeout, final int retryAfterSeconds, final ObjectMapper json,
              final MeterRegistry registry) {
        // The default executor, not a direct one: completing on the client's selector thread would
        // have Javalin write the response there, and one slow caller could stall every forward.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.timeout = timeout;
        this.retryAfterSeconds = retryAfterSeconds;
        this.json = json;
        this.ok = timer(registry, "ok");
        this.unreachable = timer(registry, "unreachable");
        this.failed = timer(registry, "failed");
    }

    private static Timer timer(final MeterRegistry registry, final String outcome) {
        return Timer.builder("streamrec.forward").description("Requests forwarded to the instance owning the key")
                .tag("outcome", outcome).publishPercentileHistogram().register(registry);
    }

    /**
     * Forwards a GET of {@code pathAndQuery} to {@code host:port}.
     *
     * @param via this instance's advertised address, sent in {@link #FORWARDED_HEADER}
     */
    CompletableFuture<ForwardedResponse> forward(final String host, final int port, final String pathAndQuery,
                                                 final String via) {
        final long start = System.nanoTime();
        final String owner = host + ":" + port;
        final HttpRequest request;
        try {
            final URI ownerRoot = ServiceConfig.instanceRoot(host, port);
            request = HttpRequest.newBuilder(ownerRoot.resolve(pathAndQuery)).timeout(timeout)
                    .header(FORWARDED_HEADER, via).header("Accept", "application/json").GET().build();
        } catch (final URISyntaxException | IllegalArgumentException e) {
            // The owner advertises an address no URL can hold (an instance started before that was
            // refused at start, see ServiceConfig): it is the owner's answer that cannot be had, a 502.
            failed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return CompletableFuture.completedFuture(made(502, "Bad Gateway", "forwarding to the instance owning "
                    + "the key (" + owner + ") failed: its address cannot be made into a URL: " + e.getMessage(), false));
        }
        final CompletableFuture<HttpResponse<byte[]>> sent =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        // HttpRequest.timeout only bounds the wait for the response headers: an owner that sends them
        // and part of the body, then stalls, would leave sendAsync (and the caller) waiting for ever.
        // So the whole exchange gets one deadline, on a dependent future (orTimeout on the client's
        // own future would complete it without aborting the exchange), and the exchange is then
        // cancelled so the half-read connection is closed, not left to the pool.
        final CompletableFuture<HttpResponse<byte[]>> bounded = sent.thenApply(response -> response)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        bounded.whenComplete((response, error) -> {
            if (error != null) {
                sent.cancel(true);
            }
        });
        return bounded.handle((response, error) -> {
            final long elapsed = System.nanoTime() - start;
            if (error == null) {
                ok.record(elapsed, TimeUnit.NANOSECONDS);
                return new ForwardedResponse(response.statusCode(), response.body(),
                        response.headers().firstValue("Content-Type").orElse("application/json"),
                        response.headers().firstValue("Retry-After").orElse(null),
                        response.headers().firstValue(SERVED_BY_HEADER).orElse(owner));
            }
            final Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            // Refused, timed out, reset or closed before a whole answer (the owner restarting or
            // moving): transient, so 503 and retry. Only an answer that is not HTTP is a 502.
            if (cause instanceof TimeoutException
                    || cause instanceof IOException && !(cause instanceof ProtocolException)) {
                unreachable.record(elapsed, TimeUnit.NANOSECONDS);
                return made(503, "Service Unavailable", "the instance owning the key (" + owner
                        + ") did not answer in time, could not be reached or dropped the connection: " + cause, true);
            }
            failed.record(elapsed, TimeUnit.NANOSECONDS);
            return made(502, "Bad Gateway", "forwarding to the instance owning the key (" + owner + ") failed: "
                    + cause, false);
        });
    }

    /**
     * {@code id} as one path segment: every character but ASCII letters, digits and {@code . - * _}
     * percent-encoded as UTF-8 (a space as {@code %20}, never {@code +}, which a path keeps as a
     * plus), so any id the updater accepts, {@code /} included, reaches the owner as the same id.
     */
    static String pathSegment(final String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * {@code path} plus {@code query} with each name and value percent-encoded. {@code path} must
     * already be a valid URI path: the handlers build it with ids through {@link #pathSegment}.
     */
    static String pathAndQuery(final String path, final Map<String, String> query) {
        if (query.isEmpty()) {
            return path;
        }
        final StringJoiner joined = new StringJoiner("&", path + "?", "");
        query.forEach((name, value) -> joined.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return joined.toString();
    }

    private ForwardedResponse made(final int status, final String error, final String message,
                                   final boolean retry) {
        final byte[] body;
        try {
            body = json.writeValueAsBytes(new ErrorView(status, error, message));
        } catch (final JsonProcessingException e) {
            return new ForwardedResponse(status, message.getBytes(StandardCharsets.UTF_8), "text/plain", null, null);
        }
        return new ForwardedResponse(status, body, "application/json",
                retry ? String.valueOf(retryAfterSeconds) : null, null);
    }
}
