package org.osgijobs.driver.sqs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.SharedTestQueue;

/** A job that runs longer than its visibility timeout is not delivered again: the driver extends its visibility. */
public class SqsVisibilityTest {

    @Rule
    public final SqsFixture sqs = new SqsFixture();

    @Test
    public void aJobRunningThreeTimesTheVisibilityTimeoutRunsOnce() throws Exception {
        Map<String, Object> o = sqs.options("p", "visibility_timeout", "2");
        SharedTestQueue queue = new SharedTestQueue("p");
        SharedTestQueue other = new SharedTestQueue("p");
        SqsDriver d = sqs.driver(queue, o);
        SqsDriver second = sqs.driver(other, o); // another runtime polling the same queue all along
        d.push(Message.builder("slow").id("slow-1").payload("x").pipeline("p").build()).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        d.run(Pipeline.of(o));
        Job job = queue.poll(10, TimeUnit.SECONDS);
        assertNotNull(job);
        second.run(Pipeline.of(o));
        // the job "runs" for 6 s = 3 × visibility_timeout; a redelivery would reach either runtime meanwhile
        assertNull("not delivered again here", queue.poll(6, TimeUnit.SECONDS));
        assertNull("nor to the other runtime", other.poll(10, TimeUnit.MILLISECONDS));
        assertEquals(Custody.DONE, job.settle(Settlement.ack()));
        assertNull("deleted", other.poll(2500, TimeUnit.MILLISECONDS));
        assertNull(queue.poll(10, TimeUnit.MILLISECONDS));
    }
}
