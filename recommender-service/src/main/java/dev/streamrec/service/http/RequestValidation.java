package dev.streamrec.service.http;

import dev.streamrec.updater.clean.IdRule;
import dev.streamrec.updater.clean.InvalidEventException;
import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Checks every input before it reaches a store or another instance. Ids follow the updater's own
 * rule ({@link IdRule}: trimmed, non-blank, at most {@code validation.id.max.length} characters,
 * any characters), so every id the updater keeps can be asked for; a forward percent-encodes them
 * ({@link Forwarder#pathSegment}). Limits are bounded so one request cannot ask for an unbounded
 * amount of work.
 */
final class RequestValidation {
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final int maxLimit;
    private final IdRule ids;

    RequestValidation(final int maxLimit, final int maxIdLength) {
        this.maxLimit = maxLimit;
        this.ids = new IdRule(maxIdLength);
    }

    /** Path parameter {@code name}, decoded and trimmed as the updater trims ids. */
    String id(final Context ctx, final String name) {
        return id(name, decodedPathParam(ctx, name));
    }

    /** {@code value} as the id {@code name}, trimmed as the updater trims ids; 400 if it refuses it. */
    String id(final String name, final String value) {
        try {
            return ids.normalise(name, value);
        } catch (final InvalidEventException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    /**
     * Path parameter {@code name} percent-decoded from the raw path, a {@code +} kept as a plus.
     * Not {@link Context#pathParam}: Javalin turns every {@code %2B} left after decoding into
     * {@code +}, so an id containing the three characters {@code %2B} (sent as {@code %252B}) would
     * be looked up as another id.
     */
    private static String decodedPathParam(final Context ctx, final String name) {
        final String[] template = ctx.endpointHandlerPath().split("/", -1);
        final String[] path = ctx.path().split("/", -1);
        final String placeholder = "{" + name + "}";
        for (int i = 0; i < template.length && i < path.length; i++) {
            if (template[i].equals(placeholder)) {
                try {
                    return URLDecoder.decode(path[i].replace("+", "%2B"), StandardCharsets.UTF_8);
                } catch (final IllegalArgumentException e) {
                    throw new BadRequest(name + " is not valid percent-encoding");
                }
            }
        }
        return ctx.pathParam(name);
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
     * The one value of query parameter {@code name}, decoded; null when absent. Read from the raw
     * query string because Javalin drops a parameter whose value is not valid percent-encoding, which
     * would turn {@code limit=%zz} into no limit at all instead of a 400. A parameter given twice is
     * refused: which of its values counted used to depend on their order.
     */
    private static String queryParam(final Context ctx, final String name) {
        final String query = ctx.queryString();
        if (query == null || query.isEmpty()) {
            return null;
        }
        String rawValue = null;
        for (final String pair : query.split("&")) {
            final int equals = pair.indexOf('=');
            final String rawName = equals < 0 ? pair : pair.substring(0, equals);
            if (!name.equals(decodeOrNull(rawName))) {
                continue;
            }
            if (rawValue != null) {
                throw new BadRequest(name + " is given more than once");
            }
            rawValue = equals < 0 ? "" : pair.substring(equals + 1);
        }
        if (rawValue == null) {
            return null;
        }
        final String value = decodeOrNull(rawValue);
        if (value == null) {
            throw new BadRequest(name + " is not valid percent-encoding");
        }
        return value;
    }

    private static String decodeOrNull(final String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (final IllegalArgumentException e) {
            return null;
        }
    }
}
