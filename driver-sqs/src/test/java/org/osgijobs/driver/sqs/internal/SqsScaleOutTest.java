package org.osgijobs.driver.sqs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.SharedTestQueue;
import org.osgijobs.testing.Workers;

import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Runtimes consuming one pipeline's queue share its jobs, each once; a runtime that dies mid-flow loses nothing: the
 * messages it held become visible again after their visibility timeout and the other runtime runs them. Each
 * "runtime" is a driver with its own SQS client, its own queue and its own workers.
 */
public class SqsScaleOutTest {

    @Rule
    public final SqsFixture sqs = new SqsFixture();

    @Test
    public void twoRuntimesShareAThousandJobsWithoutDuplicates() throws Exception {
        Map<String, Object> o = sqs.options("p", "max_messages_in_flight", "20");
        SharedTestQueue qa = new SharedTestQueue("p");
        SharedTestQueue qb = new SharedTestQueue("p");
        SqsDriver a = sqs.driver(qa, sqs.client(SqsFixture.ENDPOINT), o);
        SqsDriver b = sqs.driver(qb, sqs.client(SqsFixture.ENDPOINT), o);
        Ledger ledger = new Ledger("scale-out");
        try (Workers wa = new Workers(qa, 2, ledger); Workers wb = new Workers(qb, 2, ledger)) {
            a.run(Pipeline.of(o));
            b.run(Pipeline.of(o));
            SqsConsumeTest.all(SqsConsumeTest.push(a, "s", 1000, ledger));
            ledger.awaitAllAcceptedRan(Duration.ofSeconds(60));
            Poll.until("all settled", Duration.ofSeconds(30), Duration.ofMillis(50),
                    () -> ledger.settledCount() >= 1000, ledger::summary);
            System.out.printf("scale-out: %s; runtime A ran %d, runtime B ran %d%n", ledger.summary(), wa.runs(),
                    wb.runs());
            ledger.assertNoneLost();
            ledger.assertDuplicatesAtMost(0, "no fault: every job runs once");
            assertEquals(1000, wa.runs() + wb.runs());
            assertTrue("both runtimes took jobs: A " + wa.runs() + ", B " + wb.runs(), wa.runs() > 0 && wb.runs() > 0);
        }
    }

    @Test
    public void aRuntimeThatDiesMidFlowLosesNothing() throws Exception {
        Map<String, Object> o = sqs.options("p", "max_messages_in_flight", "20", "visibility_timeout", "2");
        Ledger ledger = new Ledger("a runtime dies");
        SqsClient clientOfA = sqs.client(SqsFixture.ENDPOINT);
        SharedTestQueue qa = new SharedTestQueue("p");
        SharedTestQueue qb = new SharedTestQueue("p");
        SqsDriver a = sqs.driver(qa, clientOfA, o);
        SqsDriver b = sqs.driver(qb, sqs.client(SqsFixture.ENDPOINT), o);
        CountDownLatch aHasWork = new CountDownLatch(10);
        CountDownLatch endOfTest = new CountDownLatch(1);
        // A's workers take jobs and hang, like a process that is about to be killed
        try (Workers wa = new Workers(qa, 10, job -> {
            aHasWork.countDown();
            try {
                endOfTest.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }); AutoCloseable unblock = endOfTest::countDown) { // closed first: A's hung workers end before the join
            a.run(Pipeline.of(o));
            SqsConsumeTest.all(SqsConsumeTest.push(b, "k", 300, ledger));
            assertTrue("A got jobs", aHasWork.await(30, TimeUnit.SECONDS));
            clientOfA.close(); // A dies: no delete, no visibility extension, no receive ever again
            for (String id : wa.seen().keySet()) {
                ledger.ran(id); // ran (in part) on A, never acknowledged
            }
            int onA = wa.runs();
            try (Workers wb = new Workers(qb, 2, ledger)) {
                b.run(Pipeline.of(o));
                ledger.awaitAllAcceptedRan(Duration.ofSeconds(60));
                Poll.until("every job settled by B", Duration.ofSeconds(60), Duration.ofMillis(50),
                        () -> ledger.settledCount() >= 300, ledger::summary);
                System.out.printf("runtime died with %d jobs taken: %s%n", onA, ledger.summary());
                ledger.assertNoneLost();
                ledger.assertDuplicatesAtMost(20, "only what the dead runtime held runs twice: at most its"
                        + " max_messages_in_flight of 20");
            }
        }
    }
}
