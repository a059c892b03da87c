package org.osgijobs.driver.beanstalk.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Pipeline;

/** The pipeline options and the jobs.beanstalk configuration: RoadRunner's defaults, and bad input named. */
public class OptionsTest {

    private static Pipeline pipeline(String... kv) {
        Map<String, Object> o = new java.util.LinkedHashMap<>();
        o.put("name", "p");
        o.put("driver", "beanstalk");
        for (int i = 0; i < kv.length; i += 2) {
            o.put(kv[i], kv[i + 1]);
        }
        return Pipeline.of(o);
    }

    @Test
    public void roadRunnersDefaults() {
        PipelineOptions o = PipelineOptions.of(pipeline());
        assertEquals("default", o.tube);
        assertEquals(1, o.tubePriority);
        assertEquals(5, o.reserveTimeoutSeconds);
        assertEquals(10, o.priority);
        assertEquals(10, o.prefetch);
        assertEquals(1, o.reserveConnections);
        ConnectionSettings s = ConnectionSettings.of(Map.of());
        assertEquals("tcp://127.0.0.1:11300", s.toString());
        assertEquals(30, s.ttrSeconds);
    }

    @Test
    public void everyOptionReadAsAStringAndDurationsAsRoadRunnerWritesThem() {
        PipelineOptions o = PipelineOptions.of(pipeline("tube", "emails.v2", "tube_priority", "0",
                "reserve_timeout", "2s", "priority", "3", "prefetch", "50", "timeout", "1m"));
        assertEquals("emails.v2", o.tube);
        assertEquals(0, o.tubePriority);
        assertEquals(2, o.reserveTimeoutSeconds);
        assertEquals(3, o.priority);
        assertEquals(50, o.prefetch);
        assertEquals(60, o.timeoutSeconds);
        ConnectionSettings s = ConnectionSettings.of(Map.of("addr", "tcp://beanstalk.example:11400", "timeout", "2m"));
        assertEquals("beanstalk.example", s.host);
        assertEquals(11400, s.port);
        assertEquals(120, s.ttrSeconds);
        assertEquals(11300, ConnectionSettings.of(Map.of("addr", "10.0.0.1")).port);
    }

    @Test
    public void badPipelineOptionsAreNamed() {
        String[][] bad = { { "tube", "-starts-with-dash" }, { "tube", "has space" }, { "tube_priority", "-1" },
                { "tube_priority", "4294967296" }, { "reserve_timeout", "soon" }, { "prefetch", "0" },
                { "priority", "high" }, { "timeout", "0" }, { "reserve_connections", "0" }, { "reserve_connections", "65" } };
        for (String[] b : bad) {
            try {
                PipelineOptions.of(pipeline(b[0], b[1]));
                fail("accepted " + b[0] + "=" + b[1]);
            } catch (JobsException e) {
                assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
                assertTrue(e.getMessage(), e.getMessage().contains("'" + b[0] + "'"));
                assertTrue(e.getMessage(), e.getMessage().contains(b[1]));
            }
        }
    }

    @Test
    public void badConnectionSettingsAreNamedWithoutUserInformation() {
        String[][] bad = { { "addr", "amqp://127.0.0.1:11300" }, { "addr", "tcp://:11300" },
                { "addr", "tcp://127.0.0.1:11300/x" }, { "timeout", "0" }, { "timeout", "forever" } };
        for (String[] b : bad) {
            try {
                ConnectionSettings.of(Map.of(b[0], b[1]));
                fail("accepted " + b[0] + "=" + b[1]);
            } catch (JobsException e) {
                assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
                assertTrue(e.getMessage(), e.getMessage().startsWith("jobs.beanstalk: '" + b[0] + "'"));
            }
        }
        try {
            ConnectionSettings.of(Map.of("addr", "tcp://admin:s3cret@127.0.0.1:11300"));
            fail("accepted user information");
        } catch (JobsException e) {
            assertFalse(e.getMessage(), e.getMessage().contains("s3cret"));
            assertTrue(e.getMessage(), e.getMessage().contains("***@"));
        }
    }
}
