package dev.streamrec.demo.gen;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generator's thread: publishes the catalog, then asks the source every few milliseconds for
 * what is due, until stopped or the source runs dry.
 */
public final class EventPump implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventPump.class);
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final EventSource source;
    private final EventSink sink;
    private final Consumer<String> console;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean exhausted;

    /**
     * @param console where the end of the stream is announced: the logs go to a file, and a
     *                generator that finished or died must not look like a system that stalled
     */
    public EventPump(final EventSource source, final EventSink sink, final Consumer<String> console) {
        this.source = source;
        this.sink = sink;
        this.console = console;
        this.thread = new Thread(this::run, "demo-event-generator");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** True once a finite source (a replay) has sent everything. */
    public boolean exhausted() {
        return exhausted;
    }

    private void run() {
        try {
            source.catalog().forEach(sink::item);
            // The catalogue before any event, so the first events find their items: wait for every
            // answer however long the broker takes (a slow, shared machine), not just the flush's bound.
            boolean warned = false;
            while (running && !Thread.currentThread().isInterrupted() && !sink.flush()) {
                if (!warned) {
                    warned = true;
                    LOG.warn("The broker has not answered every catalogue record yet; events wait for it");
                }
                LockSupport.parkNanos(TICK_NANOS);
            }
            final long start = System.nanoTime();
            while (running) {
                final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (!source.emitDue(elapsedMillis, System.currentTimeMillis(), sink)) {
                    exhausted = true;
                    sink.flush();
                    LOG.info("{}: finished", source.describe());
                    console.accept("generator: finished, nothing more to send (the applications keep running; "
                            + "Ctrl-C stops them)");
                    return;
                }
                LockSupport.parkNanos(TICK_NANOS);
            }
        } catch (final RuntimeException e) {
            // A dead generator must be visible: the status line shows events in stop growing, the log says why.
            LOG.error("The event generator stopped", e);
            console.accept("generator: stopped by an error, no more events: " + e + " (details in demo.log)");
        }
    }

    /**
     * Stops the thread. The sink stays open: its owner flushes it, reads its counts for the last
     * status line, and only then closes it.
     */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
