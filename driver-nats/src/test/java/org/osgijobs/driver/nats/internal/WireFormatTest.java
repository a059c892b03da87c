package org.osgijobs.driver.nats.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;

import io.nats.client.impl.Headers;

/** RoadRunner's NATS body, both ways, and what happens to bodies that are not quite that. */
public class WireFormatTest {

    /**
     * What RoadRunner's NATS driver publishes for {@code push(job "App\\Jobs\\Ping", payload "hello", priority 5,
     * pipeline orders)}: Go's encoding/json of its Item (payload []byte as standard base64 with padding, delay 0
     * left out by omitempty, the capital {@code Queue} of the untagged field, empty on push).
     */
    static final String GOLDEN = "{\"job\":\"App\\\\Jobs\\\\Ping\",\"id\":\"0d6ba0b8-6b8a-4a8e-9b52-1a0a3f4c2e11\","
            + "\"payload\":\"aGVsbG8=\",\"options\":{\"priority\":5,\"pipeline\":\"orders\",\"auto_ack\":false,"
            + "\"Queue\":\"\"}}";

    @Test
    public void aGoldenRoadRunnerBodyIsReadFieldByField() {
        Headers h = new Headers().add("Traceparent", "00-abc-def-01").add("tags", "a", "b");
        WireFormat.Decoded d = WireFormat.decode(GOLDEN.getBytes(StandardCharsets.UTF_8), h, "orders", 10,
                () -> "fallback");
        assertFalse(d.foreign());
        assertEquals(List.of(), d.problems());
        assertEquals("App\\Jobs\\Ping", d.name());
        assertEquals("0d6ba0b8-6b8a-4a8e-9b52-1a0a3f4c2e11", d.id());
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), d.payload());
        assertEquals(5, d.priority());
        assertEquals(0, d.delay());
        assertFalse(d.autoAck());
        assertEquals(List.of("00-abc-def-01"), d.headers().get("Traceparent"));
        assertEquals(List.of("a", "b"), d.headers().get("tags"));
        assertEquals(List.of("orders"), d.headers().get("x-nats-subject"));
    }

    @Test
    public void whatThisDriverWritesIsRoadRunnersShape() {
        Message m = Message.builder("App\\Jobs\\Ping").id("id-1").payload(new byte[] { 'h', 'i', (byte) 0xff })
                .autoAck(true).header("k", "v1", "v2").header("x-nats-subject", "dropped").build();
        WireFormat.Encoded e = WireFormat.encode(m, "orders", 7, 5, "orders-stream", m.headers());
        String body = new String(e.body(), StandardCharsets.UTF_8);
        assertEquals("{\"job\":\"App\\\\Jobs\\\\Ping\",\"id\":\"id-1\",\"payload\":\"aGn/\",\"options\":{\"priority\":7,"
                + "\"pipeline\":\"orders\",\"delay\":5,\"auto_ack\":true,\"Queue\":\"orders-stream\"}}", body);
        assertEquals(List.of("v1", "v2"), e.headers().get("k"));
        assertFalse("added on consumption only", e.headers().containsKey("x-nats-subject"));
        Map<?, ?> parsed = (Map<?, ?>) Json.parse(body);
        assertEquals(Map.of("priority", 7L, "pipeline", "orders", "delay", 5L, "auto_ack", true, "Queue",
                "orders-stream"), parsed.get("options"));
    }

    @Test
    public void zeroDelayAndAnEmptyPipelineAreLeftOutAsGoDoes() {
        Message m = Message.builder("n").id("i").build();
        String body = new String(WireFormat.encode(m, "", 10, 0, "s", Map.of()).body(), StandardCharsets.UTF_8);
        assertEquals("{\"job\":\"n\",\"id\":\"i\",\"payload\":\"\",\"options\":{\"priority\":10,\"auto_ack\":false,"
                + "\"Queue\":\"s\"}}", body);
    }

    @Test
    public void aForeignBodyRunsWithItsRawBytes() {
        for (String foreign : new String[] { "plain text", "[1,2]", "{\"order\":42}", "{not json", "" }) {
            byte[] raw = foreign.getBytes(StandardCharsets.UTF_8);
            WireFormat.Decoded d = WireFormat.decode(raw, null, "s", 10, () -> "fid");
            assertTrue(foreign, d.foreign());
            assertEquals(WireFormat.DEDUCED_NAME, d.name());
            assertEquals("fid", d.id());
            assertEquals(10, d.priority());
            assertArrayEquals(raw, d.payload());
        }
    }

    @Test
    public void malformedFieldsTakeDefaultsAndAreNamed() {
        String body = "{\"job\":7,\"payload\":\"%%%\",\"options\":{\"priority\":\"high\",\"delay\":-1,"
                + "\"auto_ack\":\"yes\"}}";
        WireFormat.Decoded d = WireFormat.decode(body.getBytes(StandardCharsets.UTF_8), null, "s", 10, () -> "fid");
        assertFalse(d.foreign());
        assertEquals(WireFormat.DEDUCED_NAME, d.name());
        assertEquals("fid", d.id());
        assertEquals(10, d.priority());
        assertEquals(0, d.delay());
        assertFalse(d.autoAck());
        assertArrayEquals("%%%".getBytes(StandardCharsets.UTF_8), d.payload());
        String problems = String.join(", ", d.problems());
        for (String field : new String[] { "malformed job", "no id", "malformed payload", "options.priority",
                "options.delay", "options.auto_ack" }) {
            assertTrue(problems, problems.contains(field));
        }
    }

    @Test
    public void deeplyNestedJsonIsForeignNotAStackOverflow() {
        String deep = "{\"job\":" + "[".repeat(100_000);
        WireFormat.Decoded d = WireFormat.decode(deep.getBytes(StandardCharsets.UTF_8), null, "s", 10, () -> "fid");
        assertTrue(d.foreign());
    }

    @Test
    public void aHeaderNatsCannotCarryIsABadInputNamingIt() {
        Message m = Message.builder("n").header("bad:key", "v").build();
        JobsException e = assertThrows(JobsException.class, () -> WireFormat.encode(m, "p", 10, 0, "s",
                m.headers()));
        assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains("'bad:key'"));
    }

    @Test
    public void theFallbackIdIsStablePerStoredMessage() {
        assertEquals(WireFormat.fallbackId("s", 3), WireFormat.fallbackId("s", 3));
        assertFalse(WireFormat.fallbackId("s", 3).equals(WireFormat.fallbackId("s", 4)));
    }
}
