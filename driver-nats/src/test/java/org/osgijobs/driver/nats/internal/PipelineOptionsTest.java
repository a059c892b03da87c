package org.osgijobs.driver.nats.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Pipeline;

/** RoadRunner's option names and defaults, strings accepted, bad values named. */
public class PipelineOptionsTest {

    private static PipelineOptions of(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "orders");
        m.put("driver", "nats");
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return PipelineOptions.of(Pipeline.of(m));
    }

    @Test
    public void roadRunnersDefaults() {
        PipelineOptions o = of();
        assertEquals("default", o.subject);
        assertEquals("default-stream", o.stream);
        assertEquals(100, o.prefetch);
        assertEquals(10, o.priority);
        assertFalse(o.deleteAfterAck);
        assertFalse(o.deleteStreamOnStop);
        assertEquals(30, o.ackWaitSeconds);
        assertFalse(o.deliverNew);
        assertEquals("osgijobs-orders", o.consumer);
        assertEquals("osgijobs-orders-delayed", o.delayConsumer());
        assertEquals("osgijobs-delayed.default", o.delaySubject);
        assertEquals(1000, o.publishWindow);
    }

    @Test
    public void stringsAndTypedValuesAlike() {
        PipelineOptions o = of("prefetch", "7", "ack_wait", 5, "delete_after_ack", "TRUE", "deliver_new", true,
                "rate_limit", "10", "subject", "jobs.orders", "stream", "orders", "priority", "3");
        assertEquals(7, o.prefetch);
        assertEquals(5, o.ackWaitSeconds);
        assertTrue(o.deleteAfterAck);
        assertTrue(o.deliverNew);
        assertEquals("jobs.orders", o.subject);
        assertEquals(3, o.priority);
        assertEquals(100, of("prefetch", "0").prefetch);
    }

    @Test
    public void consumerNamesAreDerivedSafely() {
        assertEquals("osgijobs-a_b-", PipelineOptions.consumerName("a.b").substring(0, 13));
        assertFalse(PipelineOptions.consumerName("a.b").equals(PipelineOptions.consumerName("a b")));
        assertTrue(PipelineOptions.consumerName("h1-café").matches("osgijobs-h1-caf_-[0-9a-f]{8}"));
        assertEquals("mine", of("consumer", "mine").consumer);
    }

    @Test
    public void badValuesAreNamed() {
        String[][] cases = { { "prefetch", "-1" }, { "prefetch", "many" }, { "ack_wait", "0" },
                { "delete_after_ack", "maybe" }, { "subject", "a.*" }, { "subject", "a..b" }, { "subject", "a b" },
                { "stream", "a.b" }, { "consumer", "x>y" }, { "timeout", "0" }, { "publish_window", "0" },
                { "rate_limit", "-5" }, { "delay_subject", "default" } };
        for (String[] c : cases) {
            JobsException e = assertThrows(c[0] + "=" + c[1], JobsException.class, () -> of(c[0], c[1]));
            assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains("'" + c[0] + "'"));
            assertTrue(e.getMessage(), e.getMessage().contains("'" + c[1] + "'"));
        }
    }
}
