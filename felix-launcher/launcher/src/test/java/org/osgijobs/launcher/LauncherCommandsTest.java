package org.osgijobs.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

import org.osgijobs.launcher.JobsProbe.Backlog;

public class LauncherCommandsTest {
    /** A clock that moves one second each time it is read, so that timeouts need no real waiting. */
    private final AtomicLong now = new AtomicLong();
    private final Deque<Optional<Backlog>> answers = new ArrayDeque<>();
    private final AtomicInteger stops = new AtomicInteger();
    private final LauncherCommands commands = new LauncherCommands(p -> answers.size() > 1 ? answers.poll()
            : answers.peek(), stops::incrementAndGet, () -> now.getAndAdd(1_000_000_000L));

    @Test
    public void drainReturnsOnceNothingIsQueuedDelayedOrRunning() throws Exception {
        answers.add(Optional.empty());
        answers.add(Optional.of(new Backlog(3, 2, 0, 0)));
        answers.add(Optional.of(new Backlog(4, 0, 1, 0)));
        answers.add(Optional.of(new Backlog(4, 0, 0, 1)));
        answers.add(Optional.of(new Backlog(5, 0, 0, 0)));
        assertEquals("pipeline default drained: 5 processed", commands.drain("default", 30));
    }

    @Test
    public void drainFailsAfterItsTimeoutNamingWhatIsLeft() {
        answers.add(Optional.of(new Backlog(0, 7, 2, 1)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> commands.drain("default", 3));
        assertEquals("drain: pipeline default still busy after 3 s: queued=7 in_flight=2 delayed=1",
                e.getMessage());
    }

    @Test
    public void drainSaysWhenTheRuntimeIsMissing() {
        answers.add(Optional.empty());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> commands.drain("default", 1));
        assertTrue(e.getMessage(), e.getMessage().endsWith("the jobs runtime is not running"));
    }

    @Test
    public void drainRefusesANegativeTimeout() {
        assertThrows(IllegalArgumentException.class, () -> commands.drain("default", -1));
    }

    @Test
    public void shutdownStopsTheRuntime() {
        assertEquals("stopping the runtime", commands.shutdown());
        assertEquals(1, stops.get());
    }
}
