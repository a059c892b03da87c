package org.osgijobs.driver.beanstalk.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Rule;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.TestQueue;

/**
 * RoadRunner's bodies through the real server, both ways: what RoadRunner (Go's gob) puts is consumed field by field,
 * what this driver puts is the gob that Go's decoder accepted (see {@link ItemCodecTest}), and other bodies run as
 * foreign messages.
 */
public class BeanstalkWireCompatibilityTest {
    @Rule
    public final BeanstalkFixture fx = new BeanstalkFixture();

    private Job consume(Map<String, Object> o, byte[] body) throws Exception {
        String tube = (String) o.get("tube");
        fx.raw.use(tube, BeanstalkFixture.WAIT);
        fx.raw.put(1, 0, 30, body).get(10, TimeUnit.SECONDS);
        TestQueue queue = new TestQueue("p", 10);
        BeanstalkDriver d = fx.driver(queue, o);
        d.run(Pipeline.of(o));
        Job job = queue.take(10, TimeUnit.SECONDS);
        assertNotNull(job);
        return job;
    }

    @Test
    public void aJobPutByRoadRunnerRunsWithItsFields() throws Exception {
        Job job = consume(fx.options("p", "priority", "8"), ItemCodecTest.resource("go-full.gob"));
        assertEquals("app.jobs.SendMail", job.name());
        assertEquals("0b6f1c2e-6d1a-4d7e-9a51-1f2b3c4d5e6f", job.id());
        assertArrayEquals("{\"to\":\"a@example.org\"}".getBytes(), job.body());
        assertEquals(List.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                job.headers().get("Traceparent"));
        assertEquals("the job's priority orders it", 5, job.priority());
        assertEquals("p", job.groupId());
        job.settle(Settlement.ack());
    }

    @Test
    public void anItemOfRoadRunnerBeforeV6RunsWithoutHeaders() throws Exception {
        Job job = consume(fx.options("p"), ItemCodecTest.resource("go-v2.gob"));
        assertEquals("older", job.name());
        assertArrayEquals("text payload".getBytes(), job.body());
        assertEquals(Map.of(), job.headers());
        assertTrue(job.autoAck());
    }

    @Test
    public void aZeroPriorityTakesThePipelines() throws Exception {
        Job job = consume(fx.options("p", "priority", "8"), ItemCodecTest.resource("go-no-options.gob"));
        assertEquals(8, job.priority());
        assertEquals("ping", job.name());
        job.settle(Settlement.ack());
    }

    @Test
    public void aBodyThatIsNotAGobItemRunsAsAForeignMessage() throws Exception {
        for (String body : new String[] { "{\"job\":\"from-php\"}", "plain text" }) {
            Job job = consume(fx.options("p", "priority", "3"), body.getBytes());
            assertEquals(WireFormat.DEDUCED_NAME, job.name());
            assertArrayEquals(body.getBytes(), job.body());
            assertEquals(3, job.priority());
            assertEquals(36, job.id().length());
            job.settle(Settlement.ack());
        }
        Job other = consume(fx.options("p"), ItemCodecTest.resource("go-other-struct.gob"));
        assertEquals(WireFormat.DEDUCED_NAME, other.name());
        other.settle(Settlement.ack());
    }

    @Test
    public void aMalformedFieldTakesItsDefaultWithOneWarningNamingIt() throws Exception {
        // an item whose Options.Priority is a string
        GobOutput out = new GobOutput(64);
        byte[] itemType = new GobOutput(64).sint(-65).uint(3).uint(1).uint(1).string("Item").uint(1).sint(65).uint(0)
                .uint(1).uint(2).uint(1).string("Job").uint(1).sint(6).uint(0).uint(1).string("Options").uint(1)
                .sint(66).uint(0).uint(0).uint(0).toByteArray();
        byte[] optionsType = new GobOutput(64).sint(-66).uint(3).uint(1).uint(1).string("Options").uint(1).sint(66)
                .uint(0).uint(1).uint(1).uint(1).string("Priority").uint(1).sint(6).uint(0).uint(0).uint(0)
                .toByteArray();
        byte[] value = new GobOutput(64).sint(65).uint(1).string("odd-job").uint(1).uint(1).string("high").uint(0)
                .uint(0).toByteArray();
        out.uint(itemType.length).raw(itemType).uint(optionsType.length).raw(optionsType).uint(value.length)
                .raw(value);
        Job job = consume(fx.options("p", "priority", "4"), out.toByteArray());
        assertEquals("odd-job", job.name());
        assertEquals(4, job.priority());
        job.settle(Settlement.ack());
        String log = Files.readString(Path.of(System.getProperty("org.slf4j.simpleLogger.logFile")));
        long warnings = log.lines().filter(l -> l.contains("field Options.Priority is a string")).count();
        assertTrue("one warning naming the field", warnings >= 1);
    }

    @Test
    public void whatThisDriverPutsIsTheGobGoAccepted() throws Exception {
        Map<String, Object> o = fx.options("p", "tube_priority", "9", "priority", "10");
        String tube = (String) o.get("tube");
        TestQueue queue = new TestQueue("p", 10);
        BeanstalkDriver d = fx.driver(queue, o);
        d.push(Message.builder("app.jobs.SendMail").id("0b6f1c2e-6d1a-4d7e-9a51-1f2b3c4d5e6f")
                .payload("{\"to\":\"a@example.org\"}").pipeline("p").priority(5)
                .header("Traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").build())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        fx.raw.watchOnly(tube, BeanstalkFixture.WAIT);
        BeanstalkConnection.Reserved r = fx.raw.reserve(1, BeanstalkFixture.WAIT);
        assertNotNull(r);
        // the item of the golden case "full" with the pipeline's name, as RoadRunner's producer fills it
        WireItem expected = new WireItem("app.jobs.SendMail", "0b6f1c2e-6d1a-4d7e-9a51-1f2b3c4d5e6f",
                "{\"to\":\"a@example.org\"}".getBytes(),
                Map.of("Traceparent", List.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")),
                new WireItem.Options(5, "p", 0, false, ""));
        assertArrayEquals(ItemCodec.encode(expected), r.body());
        // the bytes Go verified differ only in the pipeline's name ("emails" there)
        WireItem golden = GobCases.all().get("full");
        assertArrayEquals(ItemCodecTest.resource("java-full.gob"), ItemCodec.encode(golden));
        Map<String, String> stats = fx.raw.statsJob(r.id(), BeanstalkFixture.WAIT);
        assertEquals("9", stats.get("pri"));
        fx.raw.await(fx.raw.send("delete " + r.id(), null), BeanstalkFixture.WAIT);
        fx.raw.watchOnly("default", BeanstalkFixture.WAIT);
    }
}
