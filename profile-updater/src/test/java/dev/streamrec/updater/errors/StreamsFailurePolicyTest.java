package dev.streamrec.updater.errors;

import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
import static org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.Test;

class StreamsFailurePolicyTest {
    private final AtomicLong nanos = new AtomicLong();
    private final ThreadReplacementLimit handler =
            new ThreadReplacementLimit(3, Duration.ofMinutes(10), nanos::get);
    private final StreamsException failure = new StreamsException("authorisation failed");

    @Test
    void aFailureThatRepeatsShutsTheClientDownAfterTheAllowedReplacements() {
        assertThat(handler.handle(failure)).isEqualTo(REPLACE_THREAD);
        assertThat(handler.handle(failure)).isEqualTo(REPLACE_THREAD);
        assertThat(handler.handle(failure)).isEqualTo(REPLACE_THREAD);
        assertThat(handler.handle(failure)).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void replacementsOlderThanTheWindowNoLongerCount() {
        handler.handle(failure);
        nanos.addAndGet(Duration.ofMinutes(4).toNanos());
        handler.handle(failure);
        handler.handle(failure);
        nanos.addAndGet(Duration.ofMinutes(6).toNanos());           // the first is 10 minutes old
        assertThat(handler.handle(failure)).isEqualTo(REPLACE_THREAD);
        assertThat(handler.handle(failure)).isEqualTo(SHUTDOWN_CLIENT);
        nanos.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(handler.handle(failure)).isEqualTo(REPLACE_THREAD);
    }

    @Test
    void theProductionLimitIsAFewReplacementsWithinAnHour() {
        final ThreadReplacementLimit production = new ThreadReplacementLimit();
        for (int i = 0; i < ThreadReplacementLimit.MAX_REPLACEMENTS; i++) {
            assertThat(production.handle(failure)).isEqualTo(REPLACE_THREAD);
        }
        assertThat(production.handle(failure)).isEqualTo(SHUTDOWN_CLIENT);
    }

    @Test
    void errorReleasesMainWithAFailureStatusAndAShutdownWithZero() throws Exception {
        final ExitOnError failing = new ExitOnError();
        final CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> await(failing));
        failing.onChange(State.RUNNING, State.REBALANCING);
        failing.onChange(State.PENDING_ERROR, State.RUNNING);
        assertThat(status).isNotDone();
        failing.onChange(State.ERROR, State.PENDING_ERROR);
        assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(1);

        final ExitOnError stopping = new ExitOnError();
        stopping.onChange(State.PENDING_SHUTDOWN, State.RUNNING);
        stopping.onChange(State.NOT_RUNNING, State.PENDING_SHUTDOWN);
        stopping.stopped();
        assertThat(stopping.awaitExitStatus()).isZero();
    }

    private static int await(final ExitOnError lifecycle) {
        try {
            return lifecycle.awaitExitStatus();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
