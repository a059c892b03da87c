package org.osgijobs.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

import org.osgijobs.launcher.JobsProbe.Backlog;
import org.osgijobs.launcher.JobsProbe.PipelineState;

public class LauncherCommandsTest {
    /** A clock that moves one second each time it is read, so that timeouts need no real waiting. */
    private final AtomicLong now = new AtomicLong();
    private final Deque<Optional<Backlog>> answers = new ArrayDeque<>();
    private final AtomicInteger stops = new AtomicInteger();
    private final Deque<Optional<List<PipelineState>>> states = new ArrayDeque<>();
    private final LauncherCommands commands = new LauncherCommands(p -> answers.size() > 1 ? answers.poll()
            : answers.peek(), () -> states.size() > 1 ? states.poll() : states.peek(), stops::incrementAndGet,
            () -> now.getAndAdd(1_000_000_000L));

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

    @Test
    public void awaitWaitsForThePipelineToAppearAndConsume() throws Exception {
        states.add(Optional.empty());
        states.add(Optional.of(List.of()));
        states.add(Optional.of(List.of(new PipelineState("other", "memory", true, 10, ""))));
        states.add(Optional.of(List.of(new PipelineState("orders", "amqp", false, 10, "driver amqp unavailable"))));
        states.add(Optional.of(List.of(new PipelineState("orders", "amqp", true, 10, ""))));
        assertEquals("pipeline orders consuming: orders (amqp, consuming)",
                commands.await("orders", "consuming", 30));
        assertTrue(states.size() == 1);
    }

    @Test
    public void awaitSeesAFailingPipelineAndAnAbsentOne() throws Exception {
        states.add(Optional.of(List.of(new PipelineState("orders", "amqp", false, 10, "driver amqp unavailable"))));
        assertEquals("pipeline orders failing: orders (amqp, driver amqp unavailable)",
                commands.await("orders", "failing", 5));
        assertEquals("pipeline gone absent: absent", commands.await("gone", "absent", 5));
    }

    @Test
    public void awaitCountsProcessedJobs() throws Exception {
        states.add(Optional.of(List.of(new PipelineState("default", "memory", true, 10, ""))));
        answers.add(Optional.of(new Backlog(1, 0, 0, 0)));
        answers.add(Optional.of(new Backlog(3, 0, 0, 0)));
        assertEquals("pipeline default processed=3: default (memory, consuming)",
                commands.await("default", "processed=3", 5));
    }

    @Test
    public void awaitFailsAfterItsTimeoutSayingWhatThePipelineIs() {
        states.add(Optional.of(List.of(new PipelineState("default", "memory", false, 10, ""))));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> commands.await("default", "consuming", 2));
        assertEquals("await: pipeline default not consuming after 2 s; it is default (memory, paused)",
                e.getMessage());
    }

    @Test
    public void awaitNamesAnUnknownCondition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> commands.await("default", "sleepy", 2));
        assertTrue(e.getMessage(), e.getMessage().startsWith("await: unknown condition 'sleepy'"));
        assertThrows(IllegalArgumentException.class, () -> commands.await("default", "processed=x", 2));
        assertThrows(IllegalArgumentException.class, () -> commands.await("default", "processed=-1", 2));
    }

    @Test
    public void awaitWaitsForAPriority() throws Exception {
        states.add(Optional.of(List.of(new PipelineState("extra", "memory", true, 10, ""))));
        states.add(Optional.of(List.of(new PipelineState("extra", "memory", true, 7, ""))));
        assertEquals("pipeline extra priority=7: extra (memory, consuming)", commands.await("extra", "priority=7", 5));
    }
}
