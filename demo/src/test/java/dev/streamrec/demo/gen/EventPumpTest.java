package dev.streamrec.demo.gen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.Item;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventPumpTest {

    @Test
    void aGeneratorThatDiesSaysSoOnTheConsoleNotOnlyInTheLogFile() throws Exception {
        final List<String> console = new CopyOnWriteArrayList<>();
        final EventSource failing = source(() -> {
            throw new IllegalStateException("serializer exploded");
        });
        try (EventPump pump = new EventPump(failing, new RecordingSink(), console::add)) {
            pump.start();
            awaitLine(console);
        }
        assertThat(console).singleElement().asString().contains("generator").contains("serializer exploded");
    }

    @Test
    void aReplayThatEndsSaysSo() throws Exception {
        final List<String> console = new CopyOnWriteArrayList<>();
        try (EventPump pump = new EventPump(source(() -> false), new RecordingSink(), console::add)) {
            pump.start();
            awaitLine(console);
            assertThat(pump.exhausted()).isTrue();
        }
        assertThat(console).singleElement().asString().contains("generator: finished");
    }

    /**
     * The first events must find their items in the catalogue: a flush that gives up at its bound
     * before the broker answered the catalogue (a slow, shared machine) must not let events go.
     */
    @Test
    void noEventIsAskedForBeforeTheCatalogueIsAnswered() throws Exception {
        final AtomicInteger flushes = new AtomicInteger();
        final AtomicInteger flushesBeforeTheFirstEvent = new AtomicInteger(-1);
        final EventSink slowBroker = new RecordingSink() {
            @Override
            public boolean flush() {
                return flushes.incrementAndGet() > 3; // answered at the fourth wait
            }
        };
        final List<String> console = new CopyOnWriteArrayList<>();
        try (EventPump pump = new EventPump(source(() -> {
            flushesBeforeTheFirstEvent.compareAndSet(-1, flushes.get());
            return false;
        }), slowBroker, console::add)) {
            pump.start();
            awaitLine(console);
        }
        assertThat(flushesBeforeTheFirstEvent.get()).isEqualTo(4);
    }

    private static void awaitLine(final List<String> console) throws InterruptedException {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (console.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private interface Emit {
        boolean call();
    }

    private static EventSource source(final Emit emit) {
        return new EventSource() {
            @Override
            public List<Item> catalog() {
                return List.of();
            }

            @Override
            public boolean emitDue(final long elapsedMillis, final long nowMillis, final EventSink sink) {
                return emit.call();
            }

            @Override
            public String describe() {
                return "test source";
            }
        };
    }
}
