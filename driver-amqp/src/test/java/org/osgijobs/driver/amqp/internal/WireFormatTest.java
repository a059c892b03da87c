package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.osgijobs.api.Message;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;

public class WireFormatTest {

    @Test
    public void writesRoadRunnersHeadersWithTheirJavaTypes() {
        Message m = Message.builder("Mail").id("id-1").payload("x").header("h", "a", "b").delay(7).autoAck(true)
                .pipeline("p").build();
        AMQP.BasicProperties props = WireFormat.properties(m, "p", 4, m.headers());
        Map<String, Object> h = props.getHeaders();
        assertEquals("id-1", h.get("rr_id"));
        assertEquals("Mail", h.get("rr_job"));
        assertEquals("p", h.get("rr_pipeline"));
        assertArrayEquals("{\"h\":[\"a\",\"b\"]}".getBytes(StandardCharsets.UTF_8), (byte[]) h.get("rr_headers"));
        assertEquals(Integer.valueOf(7), h.get("rr_delay"));
        assertEquals(Long.valueOf(4), h.get("rr_priority"));
        assertEquals(Boolean.TRUE, h.get("rr_auto_ack"));
        assertEquals(7, h.size());
        assertEquals("application/octet-stream", props.getContentType());
        assertEquals(Integer.valueOf(2), props.getDeliveryMode());
    }

    @Test
    public void readsWhatItWrites() {
        Message m = Message.builder("Mail").id("id-2").header("x", "1").priority(3).build();
        WireFormat.Decoded d = WireFormat.decode(WireFormat.properties(m, "p", 3, m.headers()).getHeaders(), 10);
        assertEquals("id-2", d.id());
        assertEquals("Mail", d.name());
        assertEquals(Map.of("x", List.of("1")), d.headers());
        assertEquals(3, d.priority());
        assertEquals(0, d.delay());
        assertFalse(d.autoAck());
        assertEquals(List.of(), d.problems());
    }

    @Test
    public void acceptsAnyIntegerWidthAndLongStrings() {
        for (Object width : new Object[] {(byte) 5, (short) 5, 5, 5L}) {
            Map<String, Object> h = new HashMap<>();
            h.put("rr_id", LongStringHelper.asLongString("i"));
            h.put("rr_job", LongStringHelper.asLongString("J"));
            h.put("rr_delay", width);
            h.put("rr_priority", width);
            WireFormat.Decoded d = WireFormat.decode(h, 10);
            assertEquals(width.getClass().getSimpleName(), 5, d.delay());
            assertEquals(5, d.priority());
            assertEquals("i", d.id());
            assertEquals("J", d.name());
            assertTrue(d.problems().isEmpty());
        }
    }

    @Test
    public void aForeignMessageGetsDefaults() {
        WireFormat.Decoded d = WireFormat.decode(null, 12);
        assertEquals(WireFormat.DEDUCED_NAME, d.name());
        assertEquals(36, d.id().length());
        assertEquals(12, d.priority());
        assertEquals(List.of("no rr_id", "no rr_job"), d.problems());
    }

    @Test
    public void malformedValuesFallBackToDefaults() {
        Map<String, Object> h = new HashMap<>();
        h.put("rr_id", 42);
        h.put("rr_job", "");
        h.put("rr_headers", "not json".getBytes(StandardCharsets.UTF_8));
        h.put("rr_delay", "soon");
        h.put("rr_priority", -3L);
        h.put("rr_auto_ack", "yes");
        WireFormat.Decoded d = WireFormat.decode(h, 10);
        assertEquals(WireFormat.DEDUCED_NAME, d.name());
        assertEquals(10, d.priority());
        assertEquals(0, d.delay());
        assertFalse(d.autoAck());
        assertEquals(6, d.problems().size());
        assertTrue(d.problems().toString(), d.problems().get(0).equals("malformed rr_id"));
    }

    @Test
    public void rrHeadersMustBeAnObjectOfStringLists() {
        for (String bad : new String[] {"[1]", "{\"a\":[1]}", "{\"a\":{\"b\":\"c\"}}"}) {
            Map<String, Object> h = Map.of("rr_id", "i", "rr_job", "j", "rr_headers",
                    bad.getBytes(StandardCharsets.UTF_8));
            assertEquals(bad, List.of("malformed rr_headers (want a JSON object of string lists)"),
                    WireFormat.decode(h, 1).problems());
        }
        Map<String, Object> nullHeaders = Map.of("rr_id", "i", "rr_job", "j", "rr_headers",
                "null".getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of(), WireFormat.decode(nullHeaders, 1).headers());
    }

    @Test
    public void rrHeadersNestedTooDeepAreMalformedAndTheRestIsRead() {
        Map<String, Object> h = new HashMap<>();
        h.put("rr_id", "i");
        h.put("rr_job", "j");
        h.put("rr_priority", 4L);
        h.put("other", "kept");
        h.put("rr_headers", ("{\"a\":".repeat(10_000) + "[]" + "}".repeat(10_000)).getBytes(StandardCharsets.UTF_8));
        WireFormat.Decoded d = WireFormat.decode(h, 1);
        assertEquals("i", d.id());
        assertEquals("j", d.name());
        assertEquals(4, d.priority());
        assertEquals("no job headers from rr_headers", Map.of("other", List.of("kept")), d.headers());
        assertEquals(1, d.problems().size());
        assertTrue(d.problems().get(0),
                d.problems().get(0).startsWith("malformed rr_headers (nested deeper than 64 levels at position"));
    }

    @Test
    public void foreignHeadersBecomeJobHeadersButBrokerBookkeepingDoesNot() {
        Map<String, Object> h = new HashMap<>();
        h.put("rr_id", "i");
        h.put("rr_job", "j");
        h.put("rr_headers", "{\"same\":[\"from-rr\"]}".getBytes(StandardCharsets.UTF_8));
        h.put("same", "foreign");
        h.put("tenant", LongStringHelper.asLongString("acme"));
        h.put("count", 3);
        h.put("amount", new BigDecimal("1.50"));
        h.put("tags", List.of("a", LongStringHelper.asLongString("b")));
        h.put("x-death", List.of(Map.of("count", 1L)));
        h.put("x-first-death-queue", "delayed-1000.e.q");
        WireFormat.Decoded d = WireFormat.decode(h, 1);
        assertEquals(Map.of("same", List.of("from-rr"), "tenant", List.of("acme"), "count", List.of("3"), "amount",
                List.of("1.50"), "tags", List.of("a", "b")), d.headers());
    }

    @Test
    public void aHeaderTheReaderFailsOnIsNamedAndTheRestIsStillRead() {
        Map<String, Object> h = new HashMap<>();
        h.put("rr_id", "i");
        h.put("rr_job", "j");
        h.put("fine", "v");
        h.put("weird", new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no text for this value");
            }
        });
        WireFormat.Decoded d = WireFormat.decode(h, 1);
        assertEquals("i", d.id());
        assertEquals("j", d.name());
        assertEquals(Map.of("fine", List.of("v")), d.headers());
        assertEquals(List.of("unreadable header 'weird' (IllegalStateException)"), d.problems());
    }

    @Test
    public void priorityZeroMeansThePipelines() {
        Map<String, Object> h = Map.of("rr_id", "i", "rr_job", "j", "rr_priority", 0L);
        assertEquals(7, WireFormat.decode(h, 7).priority());
    }

    @Test
    public void theCompactFormReadsAsTheFullOneWithoutAWarning() {
        for (Message m : new Message[] {Message.builder("A").id("a").build(),
            Message.builder("B").id("b").header("x", "1").delay(5).autoAck(true).priority(2).build()}) {
            WireFormat.Decoded full = WireFormat.decode(WireFormat.properties(m, "p", 7, m.headers(), false)
                    .getHeaders(), 10);
            WireFormat.Decoded compact = WireFormat.decode(WireFormat.properties(m, "p", 7, m.headers(), true)
                    .getHeaders(), 10);
            assertEquals(full, compact);
            assertEquals(List.of(), compact.problems());
        }
        Message plain = Message.builder("A").id("a").build();
        assertEquals(4, WireFormat.properties(plain, "p", 7, plain.headers(), true).getHeaders().size());
        assertEquals(7, WireFormat.properties(plain, "p", 7, plain.headers(), false).getHeaders().size());
    }
}
