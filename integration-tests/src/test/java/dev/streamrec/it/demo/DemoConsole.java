package dev.streamrec.it.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the demo prints, read line by line as it comes (so the process never blocks on a full
 * pipe), kept for the test's checks and copied to a file for a person reading a failure.
 */
final class DemoConsole {
    private static final Pattern BROKER_PID = Pattern.compile("broker ready at \\S+, pid (\\d+)");
    private static final Pattern RECS_OUT = Pattern.compile("\\| recs out (\\d+) \\|");
    private static final Pattern STATUS = Pattern.compile("^\\[\\s*\\d+s\\] ");
    /** slf4j-simple's console format: {@code [thread] LEVEL logger - message}. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\[[^\\]]+\\] (TRACE|DEBUG|INFO|WARN|ERROR) ");
    private static final Pattern RECOMMENDATIONS_CURL = Pattern.compile("curl -s (http://localhost:\\d+)/users/(\\S+)/recommendations");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    DemoConsole(final InputStream output, final Path copy) {
        this.reader = new Thread(() -> read(output, copy), "demo-console-reader");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    List<String> lines() {
        return lines;
    }

    Optional<Long> brokerPid() {
        return firstGroup(BROKER_PID).map(Long::parseLong);
    }

    /** The latest status line's count of recommendation lists, 0 before any. */
    long recommendationsOut() {
        for (int i = lines.size() - 1; i >= 0; i--) {
            final Matcher m = RECS_OUT.matcher(lines.get(i));
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        return 0;
    }

    /** The latest status line, or "" before any. */
    String lastStatus() {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (STATUS.matcher(lines.get(i)).find()) {
                return lines.get(i);
            }
        }
        return "";
    }

    /** Lines that are application logs rather than the demo's own output. */
    List<String> logLines() {
        return lines.stream().filter(l -> LOG_LINE.matcher(l).find()).toList();
    }

    /** Base URL and user id of the printed {@code curl .../users/ID/recommendations} line. */
    Optional<String[]> recommendationsCurl() {
        for (final String line : lines) {
            final Matcher m = RECOMMENDATIONS_CURL.matcher(line);
            if (m.find()) {
                return Optional.of(new String[] {m.group(1), m.group(2)});
            }
        }
        return Optional.empty();
    }

    boolean printed(final String text) {
        return lines.stream().anyMatch(l -> l.contains(text));
    }

    /** The last lines, for failure messages. */
    String tail() {
        return lines.subList(Math.max(0, lines.size() - 15), lines.size()).stream()
                .collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    void awaitEnd(final long millis) throws InterruptedException {
        reader.join(millis);
    }

    private void read(final InputStream output, final Path copy) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
             PrintWriter file = new PrintWriter(Files.newBufferedWriter(copy, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                file.println(line);
            }
        } catch (final IOException e) {
            lines.add("(console reader: " + e + ")");
        }
    }

    private Optional<String> firstGroup(final Pattern pattern) {
        for (final String line : lines) {
            final Matcher m = pattern.matcher(line);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}
