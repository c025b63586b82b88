package dev.streamrec.bench.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The broker's ceiling on this machine: Kafka's own {@code ProducerPerformance}
 * (kafka-producer-perf-test) against the same broker, for the same number of records of the
 * benchmark's mean serialised size, with the input producer's settings. Run in a child JVM on
 * this classpath so that its output is the tool's own and its heap is its own; the broker it
 * writes to is the in-process one, as for the application.
 */
final class CeilingRun {
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec");

    private CeilingRun() {
    }

    /** One run; returns records/s as the tool prints it. */
    static double run(final String bootstrap, final String topic, final long records, final int recordBytes,
                      final Path log) throws IOException, InterruptedException {
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.tools.ProducerPerformance",
                "--bootstrap-server", bootstrap, "--topic", topic,
                "--num-records", String.valueOf(records), "--record-size", String.valueOf(recordBytes),
                "--throughput", "-1", "--command-property"));
        for (final Map.Entry<String, String> prop : EventSender.PRODUCER_PROPS.entrySet()) {
            command.add(prop.getKey() + "=" + prop.getValue());
        }
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("ProducerPerformance did not finish in 10 minutes");
        }
        double perSecond = Double.NaN;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                java.nio.file.Files.newInputStream(log), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                final Matcher m = SUMMARY.matcher(line);
                // The last summary in the log is this run's final one (earlier lines are progress).
                if (m.find() && Long.parseLong(m.group(1)) == records) {
                    perSecond = Double.parseDouble(m.group(2));
                }
            }
        }
        if (process.exitValue() != 0 || Double.isNaN(perSecond)) {
            throw new IllegalStateException("ProducerPerformance failed (exit " + process.exitValue() + "); see " + log);
        }
        return perSecond;
    }
}
