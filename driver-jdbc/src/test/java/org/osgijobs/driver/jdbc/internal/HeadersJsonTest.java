package org.osgijobs.driver.jdbc.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/** The headers column's JSON, and what the settings show of a URL. */
public class HeadersJsonTest {

    @Test
    public void headersSurviveTheColumn() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("x-jobs-attempt", List.of("2"));
        headers.put("quote\"and\\slash", List.of("line\nbreak", "tab\t", "\u0001", "é€😀"));
        headers.put("empty", List.of());
        String json = HeadersJson.write(headers);
        assertEquals(headers, HeadersJson.read(json));
        assertEquals(List.copyOf(headers.keySet()), List.copyOf(HeadersJson.read(json).keySet()));
        assertEquals("{}", HeadersJson.write(Map.of()));
        assertEquals(Map.of("a", List.of("b")), HeadersJson.read(" { \"a\" : [ \"b\" ] } "));
    }

    @Test
    public void malformedHeadersAreRefused() {
        for (String bad : new String[] {"", "[]", "{\"a\":\"b\"}", "{\"a\":[1]}", "{\"a\":[\"b\"]} x", "{\"a\":[\"b"}) {
            try {
                HeadersJson.read(bad);
                fail("read " + bad);
            } catch (IllegalArgumentException expected) {
                // named by the caller with the row
            }
        }
    }

    @Test
    public void passwordsInUrlsAreHidden() {
        assertEquals("jdbc:postgresql://h:5432/db?user=u&password=***&ssl=true",
                ConnectionSettings.redact("jdbc:postgresql://h:5432/db?user=u&password=pw&ssl=true"));
        assertEquals("jdbc:mariadb://u:***@h/db", ConnectionSettings.redact("jdbc:mariadb://u:pw@h/db"));
        assertEquals("jdbc:postgresql://h/db", ConnectionSettings.redact("jdbc:postgresql://h/db"));
    }
}
