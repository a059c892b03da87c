package org.osgijobs.itests.amqp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.itests.RecordingHandler;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.RabbitMqBroker;
import org.osgijobs.testing.TcpProxy;

/**
 * The runtime's connections to the broker go through a proxy that the test cuts: under steady load no job whose
 * push succeeded is lost, and a push during an outage fails clearly within the timeout.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AmqpRecoveryIT extends AmqpItestSupport {

    private TcpProxy proxy;

    @Before
    public void throughTheProxy() throws Exception {
        proxy = new TcpProxy(RabbitMqBroker.PORT);
        useBroker(Map.of("addr", "amqp://guest:guest@127.0.0.1:" + proxy.port()
                + "/?heartbeat=2&connection_timeout=2000"));
    }

    @After
    public void closeProxy() throws Exception {
        proxy.close();
    }

    /** Declares and resumes a pipeline. */
    private void consuming(Map<String, String> options) {
        String name = options.get("name");
        declare(options);
        jobs().resume(name);
        awaitState(name, "consuming through the proxy", s -> s.ready() && s.errorMessage().isEmpty());
    }

    @Test
    public void fiveCutsUnderSteadyLoadLoseNoJobWhosePushSucceeded() throws Exception {
        Ledger ledger = new Ledger("itest recovery, 5 cuts");
        RecordingHandler handler = new RecordingHandler(ledger);
        registerHandler(handler, "steady.job");
        String q = queueName("recovery");
        consuming(amqpPipeline("amqp-recovery", "queue", q, "routing_key", q, "durable", "true", "prefetch",
                "50"));
        Jobs jobs = jobs();
        AtomicBoolean pushing = new AtomicBoolean(true);
        Semaphore window = new Semaphore(100);
        Thread producer = new Thread(() -> {
            while (pushing.get()) {
                Message m = Message.builder("steady.job").pipeline("amqp-recovery").build();
                try {
                    window.acquire();
                } catch (InterruptedException e) {
                    return;
                }
                ledger.track(m.id(), jobs.pushAsync(m)).whenComplete((ok, error) -> window.release());
            }
        }, "itest-producer");
        producer.setDaemon(true);
        producer.start();
        try {
            for (int cut = 1; cut <= 5; cut++) {
                ledger.phase("cut " + cut);
                int before = handler.count();
                await("progress before cut " + cut, Duration.ofSeconds(60), () -> handler.count() > before + 200);
                proxy.cut();
            }
            ledger.phase("after the cuts");
            await("progress after the last cut", Duration.ofSeconds(60), () -> ledger.acceptedCount() > 2000
                    && jobs.stat("amqp-recovery").errorMessage().isEmpty());
        } finally {
            pushing.set(false);
            producer.join(10_000);
        }
        assertTrue("every push has an outcome", window.tryAcquire(100, 60, TimeUnit.SECONDS));
        // every job whose push succeeded is processed
        ledger.awaitAllAcceptedRan(Duration.ofSeconds(120));
        System.out.printf("%s, %d connections through the proxy%n", ledger.summary(), proxy.accepted());
        assertTrue("reconnected after every cut", proxy.accepted() >= 6);
        ledger.assertNoneLost();
        // a cut redelivers at most the unacknowledged deliveries (prefetch 50) and re-sends at most the publishes
        // waiting for their confirm (the producer's window of 100)
        ledger.assertDuplicatesAtMost(5 * (50 + 100), "each of five cuts redelivers at most the prefetch of 50 and"
                + " re-sends at most the producer's window of 100 unconfirmed pushes");
    }

    @Test
    public void aPushDuringAnOutageFailsClearlyWithinTheTimeoutThenJobsFlowAgain() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        registerHandler(handler, "outage.job");
        String q = queueName("outage");
        consuming(amqpPipeline("amqp-outage", "queue", q, "routing_key", q, "timeout", "3"));
        proxy.down();
        State down = awaitState("amqp-outage", "the outage is reported", s -> !s.errorMessage().isEmpty());
        assertTrue(down.errorMessage(), down.errorMessage().contains("amqp://***:***@127.0.0.1:" + proxy.port()));
        long start = System.nanoTime();
        JobsException e = expectThrows(JobsException.class, () -> push("amqp-outage", "outage.job", "during"));
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("itest outage: the push failed after %d ms: %s%n", tookMillis, e.getMessage());
        assertTrue(e.getMessage(), e.getMessage().contains("was not stored within 3 s (timeout)"));
        assertTrue(e.getMessage(), e.getMessage().contains("no connection"));
        assertFalse(e.getMessage(), e.getMessage().contains("guest"));
        proxy.up();
        awaitState("amqp-outage", "reconnected", s -> s.errorMessage().isEmpty() && s.ready());
        String id = push("amqp-outage", "outage.job", "after");
        await("consuming came back", () -> handler.runsOf(id) == 1);
        assertEquals(1, handler.count());
    }
}
