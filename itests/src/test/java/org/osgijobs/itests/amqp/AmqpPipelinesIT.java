package org.osgijobs.itests.amqp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.PushResult;
import org.osgijobs.api.State;
import org.osgijobs.itests.RecordingHandler;

/** AMQP pipelines on Felix against the real broker: configured, declared, fanout, routed, delayed, shared. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AmqpPipelinesIT extends AmqpItestSupport {

    private List<String> pushMany(String pipeline, String job, int count) {
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(Message.builder(job).pipeline(pipeline).payload(pipeline + "-" + i).build());
        }
        List<String> ids = new ArrayList<>();
        for (PushResult r : jobs().pushBatch(batch)) {
            assertTrue(String.valueOf(r.error()), r.ok());
            ids.add(r.id());
        }
        return ids;
    }

    @Test
    public void configuredDirectAndFanoutPipelinesEachProcessTheirPushesOnce() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "cfg.job");
        String exchange = exchangeName("cfg-direct");
        String fanout = exchangeName("cfg-fanout");
        String qa = queueName("cfg-a");
        String qb = queueName("cfg-b");
        String qfa = queueName("cfg-fa");
        String qfb = queueName("cfg-fb");
        createPipelineConfig("amqp-a", Map.of("driver", "amqp", "queue", qa, "exchange", exchange, "routing_key",
                qa));
        createPipelineConfig("amqp-b", Map.of("driver", "amqp", "queue", qb, "exchange", exchange, "routing_key",
                qb, "prefetch", 100, "durable", true));
        createPipelineConfig("amqp-fa", Map.of("driver", "amqp", "queue", qfa, "exchange", fanout, "exchange_type",
                "fanout"));
        createPipelineConfig("amqp-fb", Map.of("driver", "amqp", "queue", qfb, "exchange", fanout, "exchange_type",
                "fanout"));
        for (String p : List.of("amqp-a", "amqp-b", "amqp-fa", "amqp-fb")) {
            awaitState(p, "consuming", State::ready);
        }
        Set<String> direct = new HashSet<>();
        direct.addAll(pushMany("amqp-a", "cfg.job", 50));
        direct.addAll(pushMany("amqp-b", "cfg.job", 50));
        List<String> fanned = new ArrayList<>(pushMany("amqp-fa", "cfg.job", 20));
        fanned.addAll(pushMany("amqp-fb", "cfg.job", 20));
        // a fanout push reaches both fanout pipelines: each processes it once
        await("all runs", () -> handler.count() == 100 + 2 * 40);
        for (String id : direct) {
            assertEquals(id, 1, handler.runsOf(id));
        }
        for (String id : fanned) {
            assertEquals(id, 2, handler.runsOf(id));
            assertEquals(Set.of("amqp-fa", "amqp-fb"), Set.copyOf(handler.runs().stream()
                    .filter(r -> r.id().equals(id)).map(RecordingHandler.Run::pipeline).toList()));
        }
        assertHoldsFor("no extra run", Duration.ofMillis(500), () -> handler.count() == 180);
    }

    @Test
    public void aDependentActionOfAnAsyncPushMayPushAgainAndBlockWithoutStallingTheBroker() throws Exception {
        String q = queueName("chained");
        declare(amqpPipeline("amqp-chained", "queue", q, "routing_key", q, "exchange", exchangeName("chained")));
        Jobs jobs = jobs();
        Message a = Message.builder("chain.job").pipeline("amqp-chained").build();
        Message b = Message.builder("chain.job").pipeline("amqp-chained").build();
        long started = System.nanoTime();
        // the confirm of a must not be delivered on the client's frame reader, which b's confirm needs
        jobs.pushAsync(a).thenRun(() -> jobs.push(b)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.printf("itest AMQP pushAsync(a).thenRun(push(b)): %d ms%n", tookMillis);
        assertTrue("both confirmed well under a second, took " + tookMillis + " ms", tookMillis < 1000);
        awaitState("amqp-chained", "both jobs in the broker", s -> s.active() == 2);
        jobs.destroy("amqp-chained");
    }

    @Test
    public void declaredWithStringOptionsResumePushPauseDestroy() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "decl.job");
        String q = queueName("declared");
        declare(amqpPipeline("amqp-declared", "queue", q, "routing_key", q, "prefetch", "100", "durable", "true",
                "priority", "4", "exchange", exchangeName("decl"), "queue_headers", "{\"x-max-priority\":\"10\"}"));
        Jobs jobs = jobs();
        assertFalse("declared pipelines start paused", jobs.stat("amqp-declared").ready());
        jobs.resume("amqp-declared");
        awaitState("amqp-declared", "consuming", State::ready);
        String id = push("amqp-declared", "decl.job", "hello");
        await("processed", () -> handler.runsOf(id) == 1);
        assertEquals(4, handler.runs().get(0).priority());
        assertEquals("hello", handler.runs().get(0).payload());
        jobs.pause("amqp-declared");
        assertFalse(jobs.stat("amqp-declared").ready());
        String later = push("amqp-declared", "decl.job", "while paused");
        awaitState("amqp-declared", "one job waiting in the broker", s -> s.active() == 1);
        assertEquals(0, handler.runsOf(later));
        jobs.destroy("amqp-declared");
        assertFalse(jobs.list().contains("amqp-declared"));
        assertEquals("the broker keeps its jobs", 1, RawBroker.count(q));
    }

    @Test
    public void stateWhilePausedWithReadyAndDelayedJobsThenBothRunAfterResume() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "stat.job");
        String q = queueName("stats");
        trackQueue("delayed-1000.amqp.default." + q);
        declare(amqpPipeline("amqp-stats", "queue", q, "routing_key", q, "priority", "3"));
        Jobs jobs = jobs();
        jobs.resume("amqp-stats");
        String first = push("amqp-stats", "stat.job", "first");
        await("first processed", () -> handler.runsOf(first) == 1);
        jobs.pause("amqp-stats");
        String plain = push("amqp-stats", "stat.job", "plain");
        Message delayed = Message.builder("stat.job").pipeline("amqp-stats").delay(1).payload("delayed").build();
        jobs.push(delayed);
        State paused = jobs.stat("amqp-stats");
        assertEquals(1, paused.active());
        assertEquals(1, paused.delayed());
        assertEquals(3, paused.priority());
        assertFalse(paused.ready());
        jobs.resume("amqp-stats");
        await("both processed", () -> handler.runsOf(plain) == 1 && handler.runsOf(delayed.id()) == 1);
        State after = awaitState("amqp-stats", "counters back to 0",
                s -> s.active() == 0 && s.delayed() == 0 && s.reserved() == 0);
        assertTrue(after.ready());
    }

    @Test
    public void xRoutingKeySendsAPushToTheOtherPipelineExactlyOnce() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "route.job");
        String exchange = exchangeName("route");
        String qa = queueName("route-a");
        String qb = queueName("route-b");
        declare(amqpPipeline("amqp-ra", "queue", qa, "exchange", exchange, "routing_key", "to-a"));
        declare(amqpPipeline("amqp-rb", "queue", qb, "exchange", exchange, "routing_key", "to-b"));
        jobs().resume("amqp-ra");
        jobs().resume("amqp-rb");
        Message m = Message.builder("route.job").pipeline("amqp-ra").header("x-routing-key", "to-b")
                .header("kept", "yes").build();
        jobs().push(m);
        await("processed by B", () -> handler.runsOf(m.id()) == 1);
        RecordingHandler.Run run = handler.runs().get(0);
        assertEquals("amqp-rb", run.pipeline());
        assertEquals("yes", run.header("kept"));
        assertEquals(null, run.header("x-routing-key"));
        assertHoldsFor("exactly once", Duration.ofMillis(500), () -> handler.runsOf(m.id()) == 1);
    }

    @Test
    public void delayedPushesIntoDurableQueuesRunAfterResumeNotBeforeTheirDelay() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "late.job");
        String q = queueName("durable-late");
        String exchange = exchangeName("late");
        trackQueue("delayed-3000." + exchange + "." + q);
        declare(amqpPipeline("amqp-late", "queue", q, "exchange", exchange, "routing_key", q, "durable", "true",
                "exchange_durable", "true"));
        List<Message> delayed = new ArrayList<>();
        long pushedAt = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            Message m = Message.builder("late.job").pipeline("amqp-late").delay(3).payload("d" + i).build();
            jobs().push(m);
            delayed.add(m);
        }
        awaitState("amqp-late", "five delayed", s -> s.delayed() == 5);
        jobs().resume("amqp-late");
        await("all processed", () -> delayed.stream().allMatch(m -> handler.runsOf(m.id()) == 1));
        for (RecordingHandler.Run run : handler.runs()) {
            assertTrue("ran after its delay", Duration.ofNanos(run.startNanos() - pushedAt).toMillis() >= 2900);
        }
    }

    @Test
    public void twoConsumersOnOneQueueShareAThousandJobsEachProcessedOnce() {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "share.job");
        String q = queueName("shared");
        String exchange = exchangeName("shared");
        declare(amqpPipeline("amqp-share-1", "queue", q, "exchange", exchange, "routing_key", q, "durable",
                "true"));
        declare(amqpPipeline("amqp-share-2", "queue", q, "exchange", exchange, "routing_key", q, "durable",
                "true"));
        jobs().resume("amqp-share-1");
        jobs().resume("amqp-share-2");
        List<String> ids = pushMany("amqp-share-1", "share.job", 1000);
        await("all processed", () -> handler.count() >= 1000 && ids.stream().allMatch(id -> handler.runsOf(id)
                >= 1));
        assertHoldsFor("no job twice", Duration.ofMillis(500), () -> handler.count() == 1000);
        long first = handler.runs().stream().filter(r -> r.pipeline().equals("amqp-share-1")).count();
        long second = handler.runs().stream().filter(r -> r.pipeline().equals("amqp-share-2")).count();
        System.out.printf("itest shared queue: consumer 1 processed %d, consumer 2 processed %d%n", first, second);
        assertTrue("both consumers took a share", first > 0 && second > 0);
    }
}
