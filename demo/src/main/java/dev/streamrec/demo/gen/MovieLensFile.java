package dev.streamrec.demo.gen;

import dev.streamrec.schemas.Item;
import java.time.Instant;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads MovieLens files: ratings as {@code u.data} (ml-100k: {@code user TAB item TAB rating TAB
 * timestamp}) or {@code ratings.dat} (ml-1m/10m: {@code user::item::rating::timestamp}), and the
 * movie catalog beside them when present ({@code u.item} with {@code u.genre}, or
 * {@code movies.dat}), so replayed items have titles and genres as categories. The whole ratings
 * file is held in memory to sort it by time: fine for ml-100k to ml-10m.
 */
public final class MovieLensFile {
    private static final Pattern DOUBLE_COLON = Pattern.compile("::");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern PIPE = Pattern.compile("\\|");

    private MovieLensFile() {
    }

    /**
     * The ratings of {@code file} in timestamp order (ties keep file order).
     *
     * @throws IllegalArgumentException naming the file and line of the first malformed line
     */
    public static List<MovieLensRating> readRatings(final Path file) {
        final List<MovieLensRating> ratings = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || (number == 1 && line.startsWith("userId"))) {
                    continue;
                }
                ratings.add(parseRating(line, file, number));
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        if (ratings.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no ratings");
        }
        ratings.sort(Comparator.comparingLong(MovieLensRating::timestampSeconds));
        return ratings;
    }

    static MovieLensRating parseRating(final String line, final Path file, final int number) {
        final String[] fields = line.contains("::") ? DOUBLE_COLON.split(line.trim())
                : line.indexOf(',') >= 0 ? line.trim().split(",") : WHITESPACE.split(line.trim());
        if (fields.length < 4) {
            throw new IllegalArgumentException(file + " line " + number
                    + ": expected 'user item rating timestamp' (tab-separated or '::'-separated), got: " + line);
        }
        final double rating;
        final long timestamp;
        try {
            rating = Double.parseDouble(fields[2]);
            timestamp = Long.parseLong(fields[3].trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(file + " line " + number
                    + ": rating and timestamp must be numbers, got: " + line, e);
        }
        // Checked here, where the line number is known, rather than dead-lettered one by one later.
        if (fields[0].isBlank() || fields[1].isBlank()) {
            throw new IllegalArgumentException(file + " line " + number + ": user and item ids must not be empty, got: "
                    + line);
        }
        if (!Double.isFinite(rating)) {
            throw new IllegalArgumentException(file + " line " + number + ": rating must be a finite number, got: "
                    + line);
        }
        return new MovieLensRating(fields[0].trim(), fields[1].trim(), rating, timestamp);
    }

    /**
     * The catalog beside {@code ratingsFile}: {@code u.item} (+ {@code u.genre}) or
     * {@code movies.dat}; empty when neither is there (replayed items are then unknown to the
     * catalog, which the updater accepts).
     */
    public static List<Item> readCatalogBeside(final Path ratingsFile, final long nowMillis) {
        final Path dir = ratingsFile.toAbsolutePath().getParent();
        try {
            if (Files.isReadable(dir.resolve("u.item"))) {
                return readUItem(dir.resolve("u.item"), readGenres(dir.resolve("u.genre")), nowMillis);
            }
            if (Files.isReadable(dir.resolve("movies.dat"))) {
                return readMoviesDat(dir.resolve("movies.dat"), nowMillis);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("Cannot read the catalog beside " + ratingsFile, e);
        }
        return List.of();
    }

    /** {@code u.genre}: {@code name|index}; index order is the order of the flags in {@code u.item}. */
    private static List<String> readGenres(final Path file) throws IOException {
        if (!Files.isReadable(file)) {
            return List.of();
        }
        final List<String> genres = new ArrayList<>();
        for (final String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            final String[] fields = PIPE.split(line);
            if (fields.length >= 2 && !fields[0].isBlank()) {
                genres.add(fields[0]);
            }
        }
        return genres;
    }

    /** {@code u.item}: {@code id|title|release|video release|url|flag...} with one 0/1 flag per genre. */
    private static List<Item> readUItem(final Path file, final List<String> genres, final long nowMillis)
            throws IOException {
        final List<Item> items = new ArrayList<>();
        for (final String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            final String[] fields = PIPE.split(line, -1);
            if (fields.length < 2) {
                continue;
            }
            final List<String> categories = new ArrayList<>();
            for (int g = 0; g < genres.size() && 5 + g < fields.length; g++) {
                if (fields[5 + g].equals("1")) {
                    categories.add(genres.get(g));
                }
            }
            items.add(item(fields[0], fields[1], categories, nowMillis));
        }
        return items;
    }

    /** {@code movies.dat}: {@code id::title::Genre|Genre}. */
    private static List<Item> readMoviesDat(final Path file, final long nowMillis) throws IOException {
        final List<Item> items = new ArrayList<>();
        for (final String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            final String[] fields = DOUBLE_COLON.split(line);
            if (fields.length >= 3) {
                items.add(item(fields[0], fields[1], Arrays.asList(PIPE.split(fields[2])), nowMillis));
            }
        }
        return items;
    }

    private static Item item(final String id, final String title, final List<String> categories, final long nowMillis) {
        return Item.newBuilder().setItemId(id).setTitle(title).setCategories(List.copyOf(categories))
                .setPrice(null).setActive(true).setUpdatedAt(Instant.ofEpochMilli(nowMillis)).build();
    }
}
