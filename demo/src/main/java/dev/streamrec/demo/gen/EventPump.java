package dev.streamrec.demo.gen;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
    private final KafkaEventSink sink;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean exhausted;

    public EventPump(final EventSource source, final KafkaEventSink sink) {
        this.source = source;
        this.sink = sink;
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
            sink.flush();
            final long start = System.nanoTime();
            while (running) {
                final long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (!source.emitDue(elapsedMillis, System.currentTimeMillis(), sink)) {
                    exhausted = true;
                    sink.flush();
                    LOG.info("{}: finished", source.describe());
                    return;
                }
                LockSupport.parkNanos(TICK_NANOS);
            }
        } catch (final RuntimeException e) {
            // A dead generator must be visible: the status line shows events in stop growing, the log says why.
            LOG.error("The event generator stopped", e);
        }
    }

    /** Stops the thread and sends what it buffered. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sink.close();
    }
}
