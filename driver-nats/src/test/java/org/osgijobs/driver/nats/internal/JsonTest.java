package org.osgijobs.driver.nats.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Test;

/** The body's JSON reader and string writer: plain and escaped strings, and what is not JSON. */
public class JsonTest {

    @Test
    public void plainAndEscapedStringsReadTheSame() {
        assertEquals(Map.of("a", "plain", "b", "q\"b\\s\n\u00e9/", "c", List.of(1L, true)),
                Json.parse("{\"a\":\"plain\",\"b\":\"q\\\"b\\\\s\\n\\u00e9\\/\",\"c\":[1,true]}"));
        assertEquals("café ✓", Json.parse("\"café ✓\""));
    }

    @Test
    public void whatIsWrittenIsReadBack() {
        String text = "tab\t, quote \", backslash \\, control \u0001, unicode é";
        StringBuilder out = new StringBuilder();
        Json.writeString(out, text);
        assertEquals(text, Json.parse(out.toString()));
    }

    @Test
    public void malformedTextIsRefusedWithItsPosition() {
        for (String bad : new String[] { "\"open", "\"ctrl\u0001\"", "{\"a\":}", "\"bad \\x escape\"", "[1,]",
                "{\"a\":1} trailing" }) {
            IllegalArgumentException e = assertThrows(bad, IllegalArgumentException.class, () -> Json.parse(bad));
            assertTrue(e.getMessage(), e.getMessage().contains("at position"));
        }
    }
}
