package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class JsonTest {

    @Test
    public void readsEveryJsonValue() {
        Object v = Json.parse(" {\"a\": [1, -2.5e1, true, false, null, \"x\\n\\u00e9\"], \"b\": {}} ");
        Map<?, ?> map = (Map<?, ?>) v;
        assertEquals(List.of(1L, -25.0, true, false, "x\né").subList(0, 4), ((List<?>) map.get("a")).subList(0, 4));
        assertEquals(null, ((List<?>) map.get("a")).get(4));
        assertEquals("x\né", ((List<?>) map.get("a")).get(5));
        assertEquals(Map.of(), map.get("b"));
    }

    @Test
    public void headersRoundTrip() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("plain", List.of("v"));
        headers.put("quote\"and\\slash", List.of("line\nbreak", "tab\t", "\u0001"));
        headers.put("empty", List.of());
        String json = Json.writeHeaders(headers);
        assertEquals(headers, Json.parse(json));
    }

    @Test
    public void nestingIsBoundedSoThatNoInputOverflowsTheStack() {
        String deepest = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertTrue("64 levels are read", Json.parse(deepest) instanceof List);
        assertEquals(Map.of("a", Map.of("b", List.of())), Json.parse("{\"a\":{\"b\":[]}}"));
        for (String tooDeep : new String[] {"[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1),
            "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000), "[".repeat(10_000) + "]".repeat(10_000),
            "[".repeat(1_000_000)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(tooDeep));
            assertTrue(e.getMessage(), e.getMessage().startsWith("nested deeper than 64 levels at position "));
        }
    }

    @Test
    public void rejectsMalformedText() {
        for (String bad : new String[] {"", "{", "{\"a\":}", "{\"a\":1,}", "[1 2]", "tru", "\"open", "{a:1}",
            "1 2", "{\"a\":\"\\x\"}", "-"}) {
            IllegalArgumentException e = assertThrows(bad, IllegalArgumentException.class, () -> Json.parse(bad));
            assertTrue(e.getMessage(), e.getMessage().contains("at position"));
        }
    }
}
