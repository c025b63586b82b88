package dev.streamrec.updater.errors;

import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds {@code main} until the application stops: after a shutdown ({@link #stopped}, status 0)
 * or when Kafka Streams reaches {@code ERROR} by itself (status 1), where it would otherwise
 * stay, doing nothing, in a process that looks alive to whatever would restart it.
 */
public final class ExitOnError implements KafkaStreams.StateListener {
    private static final Logger LOG = LoggerFactory.getLogger(ExitOnError.class);

    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean failed;

    @Override
    public void onChange(final KafkaStreams.State newState, final KafkaStreams.State oldState) {
        if (newState == KafkaStreams.State.ERROR) {
            LOG.error("Kafka Streams went from {} to ERROR and processes nothing more: exiting with status 1", oldState);
            failed = true;
            done.countDown();
        }
    }

    /** The application was closed on purpose. */
    public void stopped() {
        done.countDown();
    }

    /** Waits for a stop; 0 after {@link #stopped}, 1 after {@code ERROR}. */
    public int awaitExitStatus() throws InterruptedException {
        done.await();
        return failed ? 1 : 0;
    }
}
