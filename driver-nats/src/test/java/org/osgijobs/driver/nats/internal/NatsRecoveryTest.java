package org.osgijobs.driver.nats.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.TcpProxy;
import org.osgijobs.testing.SharedTestQueue;

/**
 * After a reconnect the driver restores what the server no longer has (RoadRunner's driver does not re-create its
 * consumer): here the pipeline's durable consumer and its stream were removed while the connection was down.
 */
public class NatsRecoveryTest {

    @Rule
    public final NatsFixture nats = new NatsFixture();

    @Test
    public void streamAndConsumerLostMeanwhileAreRestoredAfterAReconnect() throws Exception {
        try (TcpProxy proxy = new TcpProxy(NatsFixture.PORT)) {
            Map<String, Object> o = nats.options("p", "timeout", "5");
            String stream = (String) o.get("stream");
            SharedTestQueue queue = new SharedTestQueue("p");
            NatsDriver d = nats.driver(queue, ConnectionSettings.of(Map.of("addr", "nats://127.0.0.1:"
                    + proxy.port())), o);
            d.run(Pipeline.of(o));
            proxy.down();
            assertTrue(Poll.eventually(() -> !d.state().errorMessage().isEmpty(), 10));
            // as a server that lost its store would come back: without the stream and the consumers
            nats.jsm.deleteStream(stream);
            proxy.up();
            Poll.until("stream and consumer re-created", java.time.Duration.ofSeconds(20),
                    java.time.Duration.ofMillis(100), () -> d.state().errorMessage().isEmpty()
                            && nats.jsm.getConsumerNames(stream).contains(PipelineOptions.consumerName("p")),
                    () -> d.state().toString());
            d.push(Message.builder("after").id("after").pipeline("p").build()).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            Job job = queue.poll(15, TimeUnit.SECONDS);
            assertNotNull("consuming was restored on the new consumer", job);
            assertEquals("after", job.id());
            job.settle(Settlement.ack());
        }
    }
}
