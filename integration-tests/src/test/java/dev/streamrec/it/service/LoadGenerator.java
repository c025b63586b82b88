package dev.streamrec.it.service;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * A closed-loop HTTP/1.1 load generator: {@code connections} threads, each with one kept-alive
 * socket, each sending the next GET as soon as the previous answer is read. Blocking sockets and a
 * minimal parser keep the generator's own CPU cost small, which matters when it shares two cores
 * with the server under test. Only loopback targets; bounded by time and by request count.
 */
final class LoadGenerator {
    private final String host;
    private final int port;
    private final int connections;

    /** Figures of one run; latencies in microseconds. */
    record Result(String name, long requests, double seconds, Map<Integer, Long> statuses, long p50Micros,
                  long p90Micros, long p99Micros, long p999Micros, long maxMicros) {

        double requestsPerSecond() {
            return requests / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-10s %8.0f req/s  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms"
                            + "  p99.9 %6.2f ms  max %7.2f ms  (%d requests in %.1f s, statuses %s)",
                    name, requestsPerSecond(), p50Micros / 1000.0, p90Micros / 1000.0, p99Micros / 1000.0,
                    p999Micros / 1000.0, maxMicros / 1000.0, requests, seconds, statuses);
        }
    }

    LoadGenerator(final String host, final int port, final int connections) {
        if (!host.equals("127.0.0.1") && !host.equals("localhost")) {
            throw new IllegalArgumentException("load only goes to this machine, not " + host);
        }
        this.host = host;
        this.port = port;
        this.connections = connections;
    }

    /**
     * Sends GETs of {@code paths} (each thread cycles through them from its own offset): first for
     * {@code warmup} unrecorded, then for {@code measure} or until {@code maxRequests} are recorded.
     */
    Result run(final String name, final List<String> paths, final Duration warmup, final Duration measure,
               final long maxRequests) throws InterruptedException {
        final long perThreadCap = Math.max(1, maxRequests / connections);
        final long[][] latencies = new long[connections][];
        final int[] counts = new int[connections];
        final List<Map<Integer, Long>> statuses = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();
        final CountDownLatch done = new CountDownLatch(connections);
        final long start = System.nanoTime();
        final long measureFrom = start + warmup.toNanos();
        final long measureUntil = measureFrom + measure.toNanos();
        final long[] measuredEnd = new long[connections];
        for (int t = 0; t < connections; t++) {
            final int thread = t;
            latencies[t] = new long[(int) Math.min(perThreadCap, 5_000_000)];
            final Map<Integer, Long> byStatus = new TreeMap<>();
            statuses.add(byStatus);
            final Thread worker = new Thread(() -> {
                try (Socket socket = new Socket()) {
                    socket.setTcpNoDelay(true);
                    socket.connect(new InetSocketAddress(host, port), 5_000);
                    socket.setSoTimeout(10_000);
                    final OutputStream out = socket.getOutputStream();
                    final InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                    int next = thread * 7919 % paths.size();
                    while (true) {
                        final long sent = System.nanoTime();
                        if (sent >= measureUntil || counts[thread] >= latencies[thread].length) {
                            measuredEnd[thread] = sent;
                            break;
                        }
                        out.write(("GET " + paths.get(next) + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        final int status = readResponse(in);
                        final long received = System.nanoTime();
                        next = next + 1 == paths.size() ? 0 : next + 1;
                        if (sent >= measureFrom) {
                            latencies[thread][counts[thread]++] = (received - sent) / 1000;
                            byStatus.merge(status, 1L, Long::sum);
                        }
                    }
                } catch (final IOException | RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + name + "-" + t);
            worker.setDaemon(true);
            worker.start();
        }
        done.await();
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " load thread(s) failed", failures.get(0));
        }
        final long end = Arrays.stream(measuredEnd).max().orElse(measureUntil);
        final long total = Arrays.stream(counts).asLongStream().sum();
        final long[] all = new long[(int) total];
        int at = 0;
        for (int t = 0; t < connections; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        final Map<Integer, Long> merged = new TreeMap<>();
        statuses.forEach(m -> m.forEach((k, v) -> merged.merge(k, v, Long::sum)));
        return new Result(name, total, (end - measureFrom) / 1e9, merged, pct(all, 0.50), pct(all, 0.90),
                pct(all, 0.99), pct(all, 0.999), all.length == 0 ? 0 : all[all.length - 1]);
    }

    private static long pct(final long[] sorted, final double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    /** Reads one response (Content-Length or chunked body) and returns its status. */
    private static int readResponse(final InputStream in) throws IOException {
        final String statusLine = line(in);
        final int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            final String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(header.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            for (long size = Long.parseLong(line(in).trim(), 16); size > 0; size = Long.parseLong(line(in).trim(), 16)) {
                skip(in, size);
                line(in);
            }
            line(in);
        } else if (length > 0) {
            skip(in, length);
        }
        return status;
    }

    private static String line(final InputStream in) throws IOException {
        final StringBuilder text = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-response");
            }
            if (c != '\r') {
                text.append((char) c);
            }
        }
        return text.toString();
    }

    private static void skip(final InputStream in, final long bytes) throws IOException {
        long left = bytes;
        while (left > 0) {
            final long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed mid-body");
                }
                left--;
            } else {
                left -= skipped;
            }
        }
    }
}
