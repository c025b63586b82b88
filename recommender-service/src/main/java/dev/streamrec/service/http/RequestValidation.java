package dev.streamrec.service.http;

import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Checks every input before it reaches a store or another instance. Ids are bounded in length and
 * characters so they are safe in a URL path when forwarded, in logs and as store keys; limits are
 * bounded so one request cannot ask for an unbounded amount of work.
 */
final class RequestValidation {
    static final int MAX_ID_LENGTH = 128;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final int maxLimit;

    RequestValidation(final int maxLimit) {
        this.maxLimit = maxLimit;
    }

    String id(final Context ctx, final String name) {
        final String value = ctx.pathParam(name);
        if (value.isEmpty() || value.length() > MAX_ID_LENGTH) {
            throw new BadRequest(name + " must be 1 to " + MAX_ID_LENGTH + " characters long");
        }
        if (!ID.matcher(value).matches()) {
            throw new BadRequest(name + " may only contain letters, digits and . _ : @ -");
        }
        return value;
    }

    /** The {@code limit} query parameter, or null when absent. */
    Integer limit(final Context ctx) {
        final String text = queryParam(ctx, "limit");
        if (text == null) {
            return null;
        }
        // ASCII digits only: Integer.parseInt also takes other scripts' digits (Arabic-Indic, ...).
        if (!DIGITS.matcher(text).matches()) {
            throw new BadRequest("limit must be a whole number between 1 and " + maxLimit);
        }
        final int value;
        try {
            value = Integer.parseInt(text);
        } catch (final NumberFormatException e) {
            throw new BadRequest("limit must be between 1 and " + maxLimit);
        }
        if (value < 1 || value > maxLimit) {
            throw new BadRequest("limit must be between 1 and " + maxLimit);
        }
        return value;
    }

    /** The {@code allowStale} query parameter: false when absent, else exactly true or false. */
    boolean allowStale(final Context ctx) {
        final String text = queryParam(ctx, "allowStale");
        if (text == null) {
            return false;
        }
        if (!text.equals("true") && !text.equals("false")) {
            throw new BadRequest("allowStale must be true or false");
        }
        return text.equals("true");
    }

    /**
     * The first value of query parameter {@code name}, decoded; null when absent. Read from the raw
     * query string because Javalin drops a parameter whose value is not valid percent-encoding, which
     * would turn {@code limit=%zz} into no limit at all instead of a 400.
     */
    private static String queryParam(final Context ctx, final String name) {
        final String query = ctx.queryString();
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (final String pair : query.split("&")) {
            final int equals = pair.indexOf('=');
            final String rawName = equals < 0 ? pair : pair.substring(0, equals);
            if (!name.equals(decodeOrNull(rawName))) {
                continue;
            }
            final String value = decodeOrNull(equals < 0 ? "" : pair.substring(equals + 1));
            if (value == null) {
                throw new BadRequest(name + " is not valid percent-encoding");
            }
            return value;
        }
        return null;
    }

    private static String decodeOrNull(final String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            return null;
        }
    }
}
