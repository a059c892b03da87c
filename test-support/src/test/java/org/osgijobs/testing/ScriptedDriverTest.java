package org.osgijobs.testing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.DriverContext;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;

public class ScriptedDriverTest {

    private static Message job(String id) {
        return Message.builder("work").id(id).pipeline("p").build();
    }

    private static DriverContext context(String pipeline) {
        Pipeline p = Pipeline.of(Map.of("name", pipeline, "driver", ScriptedDriver.KIND, "timeout", "5"));
        return new DriverContext() {
            @Override
            public Pipeline pipeline() {
                return p;
            }

            @Override
            public String configKey() {
                return null;
            }

            @Override
            public Queue queue() {
                return null;
            }

            @Override
            public int timeoutSeconds() {
                return 5;
            }
        };
    }

    @Test
    public void storesAtOnceByDefaultAndHandsEverythingBackAtStop() throws Exception {
        ScriptedDriver d = new ScriptedDriver("d").handBack(List.of(job("held")));
        d.push(job("a")).toCompletableFuture().get(1, TimeUnit.SECONDS);
        d.run(null);
        d.pause("p");
        assertEquals(0, d.paused().getCount());
        assertEquals(List.of("a"), d.receivedIds());
        assertTrue(d.state().ready());
        assertEquals(1, d.state().active());
        List<Message> back = d.stop();
        assertEquals(List.of("a", "held"), back.stream().map(Message::id).toList());
        assertEquals(List.of("run", "pause", "stop"), d.calls());
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> d.push(job("late")).toCompletableFuture().get(1, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof JobsException);
        assertEquals("a push after stop is not recorded", List.of("a"), d.pushOrder());
    }

    @Test(timeout = 10_000)
    public void pushesBlockUntilReleased() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedDriver d = new ScriptedDriver("d").pushesBlockUntil(release);
        CompletableFuture<Void> pushing = CompletableFuture.runAsync(() -> d.push(job("b")));
        assertTrue(Poll.eventually(() -> d.pushOrder().contains("b"), 5));
        assertFalse("the caller is blocked", pushing.isDone());
        release.countDown();
        pushing.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("b"), d.receivedIds());
    }

    @Test
    public void pushesFailOrCompleteLaterWhenTold() throws Exception {
        JobsException full = new JobsException(JobsException.Kind.REJECTED, "full");
        ScriptedDriver d = new ScriptedDriver("d").pushesFail(full);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> d.push(job("f")).toCompletableFuture().get(1, TimeUnit.SECONDS));
        assertSame(full, e.getCause());

        d.pushesCompleteLater();
        CompletableFuture<Void> x = d.push(job("x")).toCompletableFuture();
        CompletableFuture<Void> y = d.push(job("y")).toCompletableFuture();
        assertEquals(List.of("x", "y"), d.pendingPushes());
        d.completePush("y");
        d.failPush("x", new JobsException("gone"));
        assertNull(y.get(1, TimeUnit.SECONDS));
        assertTrue(x.isCompletedExceptionally());
        assertEquals(List.of("f", "x", "y"), d.pushOrder());
        assertEquals(List.of("y"), d.receivedIds());
        assertEquals(List.of(), d.pendingPushes());
        assertThrows(IllegalArgumentException.class, () -> d.completePush("x"));
    }

    @Test(timeout = 10_000)
    public void stopBlocksUntilReleased() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ScriptedDriver d = new ScriptedDriver("d").stopBlocksUntil(release);
        CompletableFuture<List<Message>> stopping = CompletableFuture.supplyAsync(d::stop);
        assertTrue(d.stopCalled().await(5, TimeUnit.SECONDS));
        assertTrue(d.isStopped());
        assertFalse(stopping.isDone());
        assertEquals(1, d.stopped().getCount());
        release.countDown();
        assertEquals(List.of(), stopping.get(5, TimeUnit.SECONDS));
        assertEquals(0, d.stopped().getCount());
    }

    @Test
    public void theFactoryHandsOutPreparedDriversThenFreshOnesAndRefusesWhenTold() {
        ScriptedDriver first = new ScriptedDriver("first");
        ScriptedDriver.Factory f = new ScriptedDriver.Factory().prepare(first);
        assertEquals("scripted", f.name());
        DriverContext c1 = context("p1");
        assertSame(first, f.create(c1));
        assertSame(c1, first.context());
        ScriptedDriver fresh = (ScriptedDriver) f.create(context("p2"));
        assertEquals("p2", fresh.name());
        assertEquals(List.of(first, fresh), f.built());

        f.refuseWhen(c -> c.pipeline().name().equals("bad")
                ? new JobsException(JobsException.Kind.BAD_INPUT, "option 'x'") : null);
        JobsException e = assertThrows(JobsException.class, () -> f.create(context("bad")));
        assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
        assertEquals(2, f.built().size());
        assertEquals(3, f.contexts().size());
        assertEquals("memory", new ScriptedDriver.Factory("memory").name());
    }
}
