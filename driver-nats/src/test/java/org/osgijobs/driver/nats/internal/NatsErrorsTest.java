package org.osgijobs.driver.nats.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.TcpProxy;

import io.nats.client.api.StreamConfiguration;
import org.osgijobs.testing.SharedTestQueue;

/** Bad input and a server that does not fit or does not answer: clear errors naming what is wrong, no secret. */
public class NatsErrorsTest {

    @Rule
    public final NatsFixture nats = new NatsFixture();

    @Test
    public void anExistingStreamWithoutThePipelinesSubjectIsAClearPipelineError() throws Exception {
        Map<String, Object> o = nats.options("p");
        String stream = (String) o.get("stream");
        nats.jsm.addStream(StreamConfiguration.builder().name(stream).subjects("other." + stream).build());
        JobsException e = assertThrows(JobsException.class, () -> nats.driver(new SharedTestQueue("p"), o));
        assertEquals(JobsException.Kind.REJECTED, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains("stream '" + stream + "' exists with subjects [other."
                + stream + "]"));
        assertTrue(e.getMessage(), e.getMessage().contains("'" + o.get("subject") + "'"));
        assertEquals("the stream is not changed", java.util.List.of("other." + stream),
                nats.jsm.getStreamInfo(stream).getConfiguration().getSubjects());
    }

    @Test
    public void aConsumerOfThatNameWithAnotherFilterIsAClearPipelineError() throws Exception {
        Map<String, Object> o = nats.options("p");
        String stream = (String) o.get("stream");
        nats.driver(new SharedTestQueue("p"), o).stop();
        Map<String, Object> other = new java.util.LinkedHashMap<>(o);
        other.put("subject", "elsewhere." + stream);
        nats.jsm.updateStream(StreamConfiguration.builder(nats.jsm.getStreamInfo(stream).getConfiguration())
                .addSubjects("elsewhere." + stream).build());
        JobsException e = assertThrows(JobsException.class, () -> nats.driver(new SharedTestQueue("p"), other));
        assertTrue(e.getMessage(), e.getMessage().contains("consumer 'osgijobs-p'"));
        assertTrue(e.getMessage(), e.getMessage().contains("'consumer'"));
    }

    @Test
    public void badPipelineOptionsAndPushesAreNamed() throws Exception {
        assertThrows(JobsException.class, () -> nats.driver(new SharedTestQueue("p"), nats.options("p", "ack_wait", "x")));
        Map<String, Object> o = nats.options("p");
        NatsDriver d = nats.driver(new SharedTestQueue("p"), o);
        ExecutionException e = assertThrows(ExecutionException.class, () -> d.push(Message.builder("n")
                .pipeline("p").header("a b", "v").build()).toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage(), e.getCause().getMessage().contains("header 'a b'"));
        e = assertThrows(ExecutionException.class, () -> d.push(Message.builder("n").pipeline("q").build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage(), e.getCause().getMessage().contains("addressed to pipeline 'q'"));
        assertThrows(JobsException.class, () -> d.run(Pipeline.of(nats.options("q"))));
    }

    @Test
    public void aPushWhileTheServerIsAwayFailsWithinTimeoutNamingItWithoutCredentials() throws Exception {
        try (TcpProxy proxy = new TcpProxy(NatsFixture.PORT)) {
            Map<String, Object> o = nats.options("p", "timeout", "2");
            ConnectionSettings settings = ConnectionSettings.of(Map.of("addr", "nats://127.0.0.1:" + proxy.port(),
                    "user", "alice", "password", "s3cret-pw"));
            // the test server has no users: it accepts (and ignores) the credentials
            NatsDriver d = nats.driver(new SharedTestQueue("p"), settings, o);
            d.run(Pipeline.of(o));
            proxy.down();
            assertTrue(Poll.eventually(() -> !d.state().errorMessage().isEmpty(), 10));
            String state = d.state().errorMessage();
            assertTrue(state, state.contains("127.0.0.1:" + proxy.port()));
            long started = System.nanoTime();
            CompletableFuture<Void> push = d.push(Message.builder("during").pipeline("p").build())
                    .toCompletableFuture();
            ExecutionException e = assertThrows(ExecutionException.class, () -> push.get(10, TimeUnit.SECONDS));
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            String message = e.getCause().getMessage();
            assertTrue(message, message.contains("job 'during'") && message.contains("within 2 s (timeout)"));
            assertTrue(message, message.contains("127.0.0.1:" + proxy.port()));
            assertTrue("failed after " + took + " ms", took < 4000);
            proxy.up();
            assertTrue(Poll.eventually(() -> d.state().errorMessage().isEmpty(), 15));
            d.push(Message.builder("after").pipeline("p").build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            String log = Files.readString(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile")));
            assertFalse("no password in the log", log.contains("s3cret-pw"));
            assertFalse(message.contains("s3cret-pw") || state.contains("s3cret-pw"));
        }
    }

    @Test
    public void aServerThatIsNotThereAtStartIsRetriedAndShown() throws Exception {
        try (TcpProxy proxy = new TcpProxy(NatsFixture.PORT)) {
            proxy.down();
            Map<String, Object> o = nats.options("p", "timeout", "2");
            NatsDriver d = nats.driver(new SharedTestQueue("p"), ConnectionSettings.of(Map.of("addr",
                    "nats://127.0.0.1:" + proxy.port())), o);
            assertTrue(d.state().errorMessage(), d.state().errorMessage().contains("127.0.0.1:" + proxy.port()));
            d.run(Pipeline.of(o));
            proxy.up();
            Poll.until("connected and consuming", java.time.Duration.ofSeconds(15), java.time.Duration.ofMillis(50),
                    () -> d.state().errorMessage().isEmpty() && d.state().ready(), () -> d.state().toString());
            d.push(Message.builder("late").pipeline("p").build()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
