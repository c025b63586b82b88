package dev.streamrec.service.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Metric {@code streamrec.http.requests}: every request timed, tagged by route template (never the
 * raw path, whose ids would make one series per user), method and status. Timers are cached by tag
 * set because building a meter id on every request costs more than the lookup.
 */
final class HttpMetrics {
    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    HttpMetrics(final MeterRegistry registry) {
        this.registry = registry;
    }

    void record(final String route, final String method, final int status, final float millis) {
        final String key = route + ' ' + method + ' ' + status;
        timers.computeIfAbsent(key, k -> Timer.builder("streamrec.http.requests")
                        .description("HTTP requests by route template, method and status")
                        .tag("route", route).tag("method", method).tag("status", String.valueOf(status))
                        .publishPercentileHistogram().register(registry))
                .record((long) (millis * 1_000_000L), TimeUnit.NANOSECONDS);
    }
}
