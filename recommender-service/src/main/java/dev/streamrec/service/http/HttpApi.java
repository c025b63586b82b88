package dev.streamrec.service.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.service.http.dto.ErrorView;
import dev.streamrec.service.http.dto.HealthView;
import dev.streamrec.service.items.ScoredItem;
import dev.streamrec.service.query.InstanceInfo;
import dev.streamrec.service.query.Lookup;
import dev.streamrec.service.query.QueryUnavailableException;
import dev.streamrec.service.query.ReadMode;
import dev.streamrec.service.query.RecommendationQueries;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.json.JavalinJackson;
import io.javalin.router.JavalinDefaultRouting;
import io.javalin.util.JavalinException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (described in {@code recommender-service/openapi.yaml}), over a
 * {@link RecommendationQueries}. Keyed reads are answered here when the key lives here, forwarded
 * once to the owner when it lives elsewhere (a request another member forwarded here is not
 * forwarded again), and answered 503 with {@code Retry-After} while nobody can answer; every error
 * is a JSON {@link ErrorView}. Every response names the instance that produced it in
 * {@code X-Streamrec-Served-By}.
 */
public final class HttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /**
     * How soon a stop closes kept-alive connections with no request in flight; Jetty's default of a
     * second made every stop wait that long for clients' idle pooled connections.
     */
    private static final Duration IDLE_CONNECTION_CLOSE_ON_STOP = Duration.ofMillis(100);

    static final String RECOMMENDATIONS = "/users/{userId}/recommendations";
    static final String PROFILE = "/users/{userId}/profile";
    static final String SIMILAR = "/items/{itemId}/similar";
    static final String INSTANCES = "/instances";
    static final String LIVE = "/health/live";
    static final String READY = "/health/ready";
    static final String METRICS = "/metrics";
    /** The methods every route answers, as sent in {@code Allow} with a 405. */
    private static final String ALLOWED_METHODS = "GET, HEAD";
    /** Every route; {@code openapi.yaml} must describe exactly these (checked by a test). */
    static final List<String> ROUTES = List.of(RECOMMENDATIONS, PROFILE, SIMILAR, INSTANCES, LIVE, READY, METRICS);
    private static final Pattern PATH_PARAM = Pattern.compile("\\{(\\w+)}");
    private static final Map<String, String> EMPTY_ID_PATHS = emptyIdPaths();

    private final RecommendationQueries queries;
    private final PrometheusMeterRegistry registry;
    private final RequestValidation validation;
    private final Forwarder forwarder;
    private final HttpMetrics httpMetrics;
    private final String self;
    private final int defaultLimit;
    private final int retryAfterSeconds;
    private final Duration forwardTimeout;
    private final Javalin app;

    /**
     * @param self         this instance's advertised {@code host:port}, as in {@code application.server}
     * @param defaultLimit list length for cold-start and similar-item answers when no limit is given
     * @param maxLimit     the largest {@code limit} accepted
     * @param maxIdLength  the longest id accepted, the updater's {@code validation.id.max.length}
     */
    public HttpApi(final RecommendationQueries queries, final PrometheusMeterRegistry registry, final String self,
                   final Duration forwardTimeout, final int retryAfterSeconds, final int defaultLimit,
                   final int maxLimit, final int maxIdLength) {
        this.queries = queries;
        this.registry = registry;
        this.self = self;
        this.defaultLimit = defaultLimit;
        this.retryAfterSeconds = retryAfterSeconds;
        this.forwardTimeout = forwardTimeout;
        this.validation = new RequestValidation(maxLimit, maxIdLength);
        final ObjectMapper json = new ObjectMapper();
        this.forwarder = new Forwarder(forwardTimeout, retryAfterSeconds, json, registry);
        this.httpMetrics = new HttpMetrics(registry);
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            // A known path asked with another method is 405 (with Allow, below), not "not found".
            config.http.prefer405over404 = true;
            config.jsonMapper(new JavalinJackson(json, false));
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonBadMessageHandler(json, self));
                // Graceful stop: Jetty stops accepting, then waits (bounded) for the requests the
                // StatisticsHandler counts as in flight before it closes their connections; with
                // the default stop timeout of 0 a request being answered was cut off with no answer.
                // Javalin attaches its own handler inside this wrapper. The stop timeout itself is
                // set by stop(), not here: Javalin stops a server that failed to bind, and Jetty's
                // graceful stop of a server that never started threw a checked ExecutionException
                // (IllegalStateException: STOPPED) in place of the bind error.
                server.setHandler(new StatisticsHandler());
            });
            config.requestLogger.http((ctx, millis) ->
                    httpMetrics.record(routeOf(ctx), ctx.method().name(), ctx.statusCode(), millis));
            config.router.mount(router -> {
                readable(router, RECOMMENDATIONS, this::recommendations);
                readable(router, PROFILE, this::profile);
                readable(router, SIMILAR, this::similar);
                readable(router, INSTANCES, this::instances);
                readable(router, LIVE, this::live);
                readable(router, READY, this::ready);
                readable(router, METRICS, this::metrics);
            });
        });
        // Every response Javalin produces names this instance; a forwarded answer replaces it with
        // the owner's, and Jetty's own refusals are named by JsonBadMessageHandler.
        app.before(ctx -> ctx.header(Forwarder.SERVED_BY_HEADER, self));
        app.exception(BadRequest.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
        app.exception(HttpResponseException.class, (e, ctx) -> {
            final String emptyId = e.getStatus() == 404 ? emptyIdIn(ctx) : null;
            if (emptyId != null) {
                // The id is what is wrong, as with a blank one; "endpoint not found" would say the route is.
                try {
                    validation.id(emptyId, "");
                } catch (final BadRequest refused) {
                    error(ctx, 400, refused.getMessage());
                    return;
                }
            }
            error(ctx, e.getStatus(), e.getMessage());
        });
        app.exception(MethodNotAllowedResponse.class, (e, ctx) -> {
            // Every route is registered for GET and HEAD alone (see readable), so that is the answer for all.
            ctx.header("Allow", ALLOWED_METHODS);
            error(ctx, 405, ctx.method().name() + " is not allowed on " + ctx.path() + "; use " + ALLOWED_METHODS);
        });
        app.exception(QueryUnavailableException.class, (e, ctx) -> unavailable(ctx, e.getMessage()));
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("Unhandled error answering {} {}", ctx.method(), ctx.path(), e);
            error(ctx, 500, "internal error: " + e.getClass().getSimpleName());
        });
    }

    /**
     * {@code route} for GET and HEAD, both running {@code handler}: left to Javalin, a HEAD on a GET
     * route is 200 with no headers of the handler's, whatever GET would answer (a missing user, an
     * invalid id); this way HEAD gets GET's status and headers, and Jetty leaves out the body.
     */
    private static void readable(final JavalinDefaultRouting router, final String route, final Handler handler) {
        router.get(route, handler);
        router.head(route, handler);
    }

    /** Binds {@code host:port} (0 for any free port) and returns the bound port. */
    public int start(final String host, final int port) {
        app.start(host, port);
        return app.port();
    }

    /**
     * Stops accepting requests, answers those in flight (waiting at most {@link #stopDrain}), then
     * closes.
     */
    public void stop() {
        app.jettyServer().server().setStopTimeout(stopDrain(forwardTimeout).toMillis());
        for (final Connector connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof AbstractConnector abstractConnector) {
                abstractConnector.setShutdownIdleTimeout(IDLE_CONNECTION_CLOSE_ON_STOP.toMillis());
            }
        }
        try {
            app.stop();
        } catch (final JavalinException e) {
            if (!(e.getCause() instanceof TimeoutException)) {
                throw e;
            }
            // Jetty has stopped everything by now; only the requests that outlasted the drain were cut off.
            LOG.warn("Stopped with requests still in flight after waiting {} for them", stopDrain(forwardTimeout));
        }
    }

    /**
     * How long a stop waits for requests in flight: the longest a request should take is a forward,
     * bounded by the forward timeout; a second more covers answering locally and writing the response.
     */
    static Duration stopDrain(final Duration forwardTimeout) {
        return forwardTimeout.plusSeconds(1);
    }

    /**
     * The name of the id left empty when an unmatched GET or HEAD is a keyed route with an empty id
     * segment ({@code /users//profile}: a path parameter never matches an empty segment); else null.
     */
    private static String emptyIdIn(final Context ctx) {
        if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
            return null;
        }
        final String path = ctx.path().length() > 1 && ctx.path().endsWith("/")
                ? ctx.path().substring(0, ctx.path().length() - 1) : ctx.path();
        return EMPTY_ID_PATHS.get(path);
    }

    /** Each keyed route with its id segment left empty, to the id's name: {@code /users//profile} to userId. */
    private static Map<String, String> emptyIdPaths() {
        final Map<String, String> paths = new HashMap<>();
        for (final String route : ROUTES) {
            final Matcher param = PATH_PARAM.matcher(route);
            if (param.find()) {
                paths.put(param.replaceFirst(""), param.group(1));
            }
        }
        return Map.copyOf(paths);
    }

    /** The matched route template; requests that matched none share one label, not their raw path. */
    private static String routeOf(final Context ctx) {
        // An unmatched request never reaches an endpoint handler, and Javalin refuses to name one then.
        return ctx.handlerType().isHttpMethod() ? ctx.endpointHandlerPath() : "unmatched";
    }

    private void recommendations(final Context ctx) {
        final String userId = validation.id(ctx, "userId");
        final Integer limit = validation.limit(ctx);
        final ReadMode mode = readMode(ctx);
        final Lookup<Recommendations> lookup = queries.recommendations(userId, mode);
        answer(ctx, lookup, found -> ok(ctx, Views.recommendations(found, limit)), () -> {
            final List<ScoredItem> popular = queries.popularItems(limit == null ? defaultLimit : limit);
            ok(ctx, Views.coldStart(userId, popular, Instant.now()));
        }, () -> Forwarder.pathAndQuery("/users/" + Forwarder.pathSegment(userId) + "/recommendations",
                forwardedQuery(limit, mode)));
    }

    private void profile(final Context ctx) {
        final String userId = validation.id(ctx, "userId");
        final ReadMode mode = readMode(ctx);
        final Lookup<UserProfile> lookup = queries.profile(userId, mode);
        answer(ctx, lookup, found -> ok(ctx, Views.profile(found)),
                () -> error(ctx, 404, "no profile for user " + userId),
                () -> Forwarder.pathAndQuery("/users/" + Forwarder.pathSegment(userId) + "/profile",
                        forwardedQuery(null, mode)));
    }

    private void similar(final Context ctx) {
        final String itemId = validation.id(ctx, "itemId");
        final Integer limit = validation.limit(ctx);
        final Lookup<List<ScoredItem>> lookup = queries.similarItems(itemId, limit == null ? defaultLimit : limit);
        answer(ctx, lookup, found -> ok(ctx, Views.similar(itemId, found)),
                () -> error(ctx, 404, "no factors for item " + itemId),
                () -> Forwarder.pathAndQuery("/items/" + Forwarder.pathSegment(itemId) + "/similar",
                        forwardedQuery(limit, ReadMode.ACTIVE_ONLY)));
    }

    private void instances(final Context ctx) {
        ok(ctx, Views.instances(self, queries.instances()));
    }

    /** 503 DOWN once Kafka Streams cannot recover by itself, so that an orchestrator restarts the process. */
    private void live(final Context ctx) {
        final boolean alive = queries.alive();
        ctx.status(alive ? 200 : 503);
        ctx.json(new HealthView(alive ? "UP" : "DOWN", queries.state()));
    }

    private void ready(final Context ctx) {
        final boolean ready = queries.ready();
        ctx.status(ready ? 200 : 503);
        if (!ready) {
            ctx.header("Retry-After", String.valueOf(retryAfterSeconds));
        }
        ctx.json(new HealthView(ready ? "READY" : "NOT_READY", queries.state()));
    }

    private void metrics(final Context ctx) {
        ctx.contentType(PROMETHEUS_TEXT).result(registry.scrape());
    }

    private ReadMode readMode(final Context ctx) {
        return validation.allowStale(ctx) ? ReadMode.ALLOW_STALE : ReadMode.ACTIVE_ONLY;
    }

    /**
     * The query a forward carries: only the parameters this instance validated, never the caller's
     * raw query string (unknown parameters are ignored here, so they are not passed on either).
     */
    private static Map<String, String> forwardedQuery(final Integer limit, final ReadMode mode) {
        final Map<String, String> query = new LinkedHashMap<>();
        if (limit != null) {
            query.put("limit", String.valueOf(limit));
        }
        if (mode == ReadMode.ALLOW_STALE) {
            query.put("allowStale", "true");
        }
        return query;
    }

    /**
     * Turns a lookup into a response: found, absent, forwarded once, or 503.
     *
     * @param forwardTarget the path and query to ask the owner for, built from validated input
     */
    private <T> void answer(final Context ctx, final Lookup<T> lookup, final Consumer<T> found,
                            final Runnable absent, final Supplier<String> forwardTarget) {
        if (lookup instanceof Lookup.Found<T> hit) {
            found.accept(hit.value());
        } else if (lookup instanceof Lookup.Absent<T>) {
            absent.run();
        } else if (lookup instanceof Lookup.Elsewhere<T> owner) {
            forward(ctx, owner, forwardTarget.get());
        } else if (lookup instanceof Lookup.Unavailable<T> unavailable) {
            unavailable(ctx, unavailable.reason());
        }
    }

    private void forward(final Context ctx, final Lookup.Elsewhere<?> owner, final String pathAndQuery) {
        final String from = ctx.header(Forwarder.FORWARDED_HEADER);
        if (from != null && forwardedByAnotherMember(from)) {
            // The sender thought the key was here, this instance thinks it is elsewhere: ownership is
            // moving. Forwarding again could loop, so ask the client to retry once metadata settles.
            unavailable(ctx, "the key's partition is moving between instances (forwarded by " + from + ")");
            return;
        }
        ctx.future(() -> forwarder.forward(owner.host(), owner.port(), pathAndQuery, self).thenAccept(response -> {
            ctx.status(response.status()).contentType(response.contentType()).result(response.body());
            if (response.retryAfter() != null) {
                ctx.header("Retry-After", response.retryAfter());
            }
            ctx.header(Forwarder.SERVED_BY_HEADER, response.servedBy() == null ? self : response.servedBy());
        }));
    }

    /**
     * Whether a {@link Forwarder#FORWARDED_HEADER} value names another current member of the
     * application, as Kafka Streams' metadata lists them: only then is the request a forward. Any
     * client can send the header, and believed blindly it had this instance answer 503 for every key
     * owned elsewhere. A value naming no member, or this instance (which never forwards to itself),
     * is a client's, and the request is routed like any other. Asked only for a key held elsewhere
     * with the header present, so building the member list is rare. A forward from an instance this
     * one does not list (joining, or just gone) is routed once more; that hop carries this
     * instance's name, so the next instance that lists it stops there: no loop.
     *
     * <p>What this leaves: a client that copies a real member's endpoint (listed by
     * {@code /instances}, returned in {@code X-Streamrec-Served-By}) still gets 503 for keys this
     * instance does not own. That only answers its own request as a genuine loop is answered, and
     * costs less than the forward it skips; telling such a client from a member would take the
     * instances authenticating each other (mTLS, a shared secret), which the service does not do.
     *
     * @throws QueryUnavailableException while there is no member list (Kafka Streams not running):
     *                                   a 503, since the request may be a genuine forward and a second
     *                                   hop could loop
     */
    private boolean forwardedByAnotherMember(final String from) {
        if (from.equals(self)) {
            return false;
        }
        for (final InstanceInfo member : queries.instances()) {
            if (!member.self() && member.endpoint().equals(from)) {
                return true;
            }
        }
        return false;
    }

    private void unavailable(final Context ctx, final String reason) {
        ctx.header("Retry-After", String.valueOf(retryAfterSeconds));
        error(ctx, 503, reason);
    }

    private void ok(final Context ctx, final Object view) {
        ctx.json(view);
    }

    private void error(final Context ctx, final int status, final String message) {
        ctx.status(status).json(new ErrorView(status, HttpStatus.forStatus(status).getMessage(), message));
    }
}
