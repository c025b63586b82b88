package dev.streamrec.bench.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads MovieLens ratings in either published layout: {@code u.data} (ML-100K, tab-separated
 * {@code user item rating timestamp}) or {@code ratings.dat} (ML-1M/10M, {@code ::}-separated),
 * and returns them in timestamp order. Ties keep file order (the sort is stable) so that a replay
 * is reproducible.
 */
public final class MovieLensReader {
    private static final Pattern DOUBLE_COLON = Pattern.compile("::");
    private static final Pattern WHITESPACE = Pattern.compile("[\\t ,]+");

    private MovieLensReader() {
    }

    public static List<RatingEvent> readInTimeOrder(final Path path) throws IOException {
        final List<RatingEvent> events = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.ISO_8859_1)) {
            String line;
            int lineNumber = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                final String trimmed = line.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                final String[] fields = (trimmed.contains("::") ? DOUBLE_COLON : WHITESPACE).split(trimmed);
                if (fields.length < 4) {
                    throw new IOException(path + ":" + lineNumber + ": expected user item rating timestamp, got '"
                            + line + "'");
                }
                try {
                    events.add(new RatingEvent(fields[0], fields[1], Float.parseFloat(fields[2]),
                            Long.parseLong(fields[3])));
                } catch (final NumberFormatException e) {
                    throw new IOException(path + ":" + lineNumber + ": bad number in '" + line + "'", e);
                }
            }
        }
        events.sort(Comparator.comparingLong(RatingEvent::timestamp));
        return List.copyOf(events);
    }
}
