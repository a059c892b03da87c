package org.osgijobs.driver.kafka.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.TestDriverContext;
import org.osgijobs.testing.TestQueue;

/**
 * Bad input and an unreachable cluster: clear errors naming the option or the brokers, within the timeout, never
 * the password, and nothing else taken down.
 */
public class KafkaErrorsTest {
    private static final String SECRET = "s3cr3t-Pa55-word";

    private static Map<String, Object> options(String... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "p");
        m.put("driver", "kafka");
        m.put("timeout", "2");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    public void anUnreachableClusterFailsPushesWithinTheTimeoutNamingTheBrokersNotThePassword() throws Exception {
        String brokers = "127.0.0.1:" + deadPort();
        KafkaConstructor c = new KafkaConstructor();
        c.activate(Map.of("brokers", brokers, "ping.timeout", "1s", "sasl.mechanism", "plain", "sasl.username", "u",
                "sasl.password", SECRET));
        Driver d = c.create(TestDriverContext.of(Pipeline.of(options()), new TestQueue("p", 10)));
        try {
            Poll.until("the state names the brokers", Duration.ofSeconds(10), Duration.ofMillis(50),
                    () -> d.state().errorMessage().contains(brokers), () -> d.state().toString());
            long start = System.nanoTime();
            try {
                d.push(Message.builder("j").pipeline("p").build()).toCompletableFuture().get(20, TimeUnit.SECONDS);
                fail("pushed without a broker");
            } catch (ExecutionException e) {
                JobsException j = (JobsException) e.getCause();
                assertTrue(j.getMessage(), j.getMessage().contains(brokers));
                assertFalse(j.getMessage().contains(SECRET));
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue("within the 2 s timeout (and a little): " + millis, millis < 4500);
            assertFalse(d.state().errorMessage().contains(SECRET));
        } finally {
            d.stop();
            c.deactivate();
        }
        Path log = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile", "target/none.log"));
        if (Files.exists(log)) {
            assertFalse("the password never reaches the log", Files.readString(log).contains(SECRET));
        }
    }

    @Test
    public void badOptionsAndABadConnectionConfigurationNameWhatIsWrong() {
        KafkaConstructor c = new KafkaConstructor();
        c.activate(Map.of("brokers", "127.0.0.1:9092"));
        try {
            c.create(TestDriverContext.of(Pipeline.of(options("producer_options.required_acks", "Most")),
                    new TestQueue("p", 10)));
            fail("accepted");
        } catch (JobsException e) {
            assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains("producer_options.required_acks"));
        }
        try {
            c.create(TestDriverContext.of(Pipeline.of(options("producer_properties.linger.ms", "soon")),
                    new TestQueue("p", 10)));
            fail("accepted");
        } catch (JobsException e) {
            assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains("linger.ms"));
        }
        c.deactivate();
        KafkaConstructor broken = new KafkaConstructor();
        broken.activate(Map.of("brokers", "nowhere", "sasl.password", SECRET));
        try {
            broken.create(TestDriverContext.of(Pipeline.of(options()), new TestQueue("p", 10)));
            fail("accepted");
        } catch (JobsException e) {
            assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains("brokers"));
            assertFalse(e.getMessage().contains(SECRET));
        }
    }

    @Test
    public void aBadPartitionHeaderIsRefusedNamingIt() throws Exception {
        KafkaConstructor c = new KafkaConstructor();
        c.activate(Map.of("brokers", "127.0.0.1:" + deadPort(), "ping.timeout", "500ms"));
        Driver d = c.create(TestDriverContext.of(Pipeline.of(options()), new TestQueue("p", 10)));
        try {
            d.push(Message.builder("j").pipeline("p").header("kafka_partition", "two").build()).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            fail("accepted");
        } catch (ExecutionException e) {
            JobsException j = (JobsException) e.getCause();
            assertEquals(JobsException.Kind.BAD_INPUT, j.kind());
            assertTrue(j.getMessage(), j.getMessage().contains("kafka_partition"));
        } finally {
            d.stop();
            c.deactivate();
        }
    }
}
