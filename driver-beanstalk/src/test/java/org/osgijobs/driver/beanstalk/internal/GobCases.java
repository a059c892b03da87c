package org.osgijobs.driver.beanstalk.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The items of the golden gob files: the same as {@code v6Cases} in {@code src/test/go/main.go}. */
final class GobCases {
    private GobCases() {
    }

    static byte[] large() {
        byte[] b = new byte[200_000];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ((i * 31 + 7) & 0xFF);
        }
        return b;
    }

    static Map<String, WireItem> all() {
        Map<String, WireItem> cases = new LinkedHashMap<>();
        cases.put("full", new WireItem("app.jobs.SendMail", "0b6f1c2e-6d1a-4d7e-9a51-1f2b3c4d5e6f",
                utf8("{\"to\":\"a@example.org\"}"),
                Map.of("Traceparent", List.of("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")),
                new WireItem.Options(5, "emails", 0, false, "")));
        cases.put("zero", new WireItem("", "", new byte[0], null, new WireItem.Options(0, "", 0, false, "")));
        cases.put("no-options", new WireItem("ping", "1", utf8("x"), null, null));
        Map<String, List<String>> multi = new LinkedHashMap<>();
        multi.put("A", List.of("1", "2"));
        multi.put("B", List.of());
        multi.put("attempt", List.of("3"));
        cases.put("multi-headers", new WireItem("j", "id-2", utf8("p"), multi,
                new WireItem.Options(1, "p", 30, true, "default")));
        cases.put("unicode", new WireItem("задача.отправить", "ид-✓", utf8("héllo 🌍"),
                Map.of("X-Ünïcode", List.of("✓", "")), new WireItem.Options(10, "юникод", 0, false, "")));
        cases.put("empty-payload", new WireItem("empty", "id-3", new byte[0], Map.of(),
                new WireItem.Options(2, "", 0, false, "")));
        cases.put("large", new WireItem("big", "id-4", large(), null,
                new WireItem.Options(1L << 40, "", 3600, false, "")));
        cases.put("negative", new WireItem("neg", "id-5", new byte[] { 0, 1, (byte) 255 }, null,
                new WireItem.Options(-3, "", -1, false, "")));
        return cases;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
