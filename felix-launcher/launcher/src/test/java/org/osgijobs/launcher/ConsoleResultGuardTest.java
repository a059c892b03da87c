package org.osgijobs.launcher;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Test;

/** The log waits while the console prints a command's result: from the command's end until the console reads. */
public class ConsoleResultGuardTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ConsoleResultGuard.Hold output = new ConsoleResultGuard.Hold() {
        @Override
        public void hold() {
            events.add("hold");
        }

        @Override
        public void release() {
            events.add("release");
        }
    };
    private final AtomicBoolean reading = new AtomicBoolean();

    @After
    public void stopTimer() {
        timer.shutdownNow();
    }

    private ConsoleResultGuard guard(Duration maxHold) {
        return new ConsoleResultGuard(output, t -> t == Thread.currentThread(), t -> reading.get(), maxHold, timer);
    }

    @Test(timeout = 10_000)
    public void aConsoleCommandHoldsTheLogUntilTheConsoleReadsAgain() throws Exception {
        guard(Duration.ofSeconds(30)).commandEnded(Thread.currentThread());
        assertEquals(List.of("hold"), events);
        // the console prints the result: still held, however long that takes within the bound
        timer.schedule(() -> { }, 50, TimeUnit.MILLISECONDS).get();
        assertEquals(List.of("hold"), events);
        reading.set(true);
        await(() -> events.size() == 2);
        assertEquals(List.of("hold", "release"), events);
    }

    @Test(timeout = 10_000)
    public void aHoldEndsAfterItsBoundIfTheConsoleDoesNotReadAgain() throws Exception {
        long started = System.nanoTime();
        guard(Duration.ofMillis(200)).commandEnded(Thread.currentThread());
        await(() -> events.size() == 2);
        assertEquals(List.of("hold", "release"), events);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertEquals("released at its bound, not before: " + tookMillis + " ms", true, tookMillis >= 200);
    }

    @Test
    public void anotherThreadsCommandHoldsNothing() throws Exception {
        Thread other = new Thread(() -> { });
        guard(Duration.ofSeconds(30)).commandEnded(other);
        assertEquals(List.of(), events);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5); // polling with a deadline
        }
    }
}
