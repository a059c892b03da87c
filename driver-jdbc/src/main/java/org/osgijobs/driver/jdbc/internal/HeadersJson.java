package org.osgijobs.driver.jdbc.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's headers as the {@code headers} column holds them: a JSON object of string arrays,
 * {@code {"x-jobs-attempt":["2"]}}. Only that shape is written and read.
 */
final class HeadersJson {

    private HeadersJson() {
    }

    static String write(Map<String, List<String>> headers) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            string(out, e.getKey());
            out.append(":[");
            boolean firstValue = true;
            for (String v : e.getValue()) {
                if (!firstValue) {
                    out.append(',');
                }
                firstValue = false;
                string(out, v == null ? "" : v);
            }
            out.append(']');
        }
        return out.append('}').toString();
    }

    /**
     * @return the headers, in their order
     * @throws IllegalArgumentException when the text is not an object of string arrays
     */
    static Map<String, List<String>> read(String json) {
        Parser p = new Parser(json);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        p.skip();
        p.expect('{');
        p.skip();
        if (!p.next(('}'))) {
            do {
                p.skip();
                String key = p.string();
                p.skip();
                p.expect(':');
                p.skip();
                p.expect('[');
                List<String> values = new ArrayList<>();
                p.skip();
                if (!p.next(']')) {
                    do {
                        p.skip();
                        values.add(p.string());
                        p.skip();
                    } while (p.next(','));
                    p.expect(']');
                }
                headers.put(key, List.copyOf(values));
                p.skip();
            } while (p.next(','));
            p.expect('}');
        }
        p.skip();
        if (!p.atEnd()) {
            throw new IllegalArgumentException("text after the headers' object at " + p.at);
        }
        return Collections.unmodifiableMap(headers);
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
            case '"' -> out.append("\\\"");
            case '\\' -> out.append("\\\\");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            }
        }
        out.append('"');
    }

    private static final class Parser {
        final String text;
        int at;

        Parser(String text) {
            this.text = text;
        }

        void skip() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        boolean atEnd() {
            return at >= text.length();
        }

        boolean next(char c) {
            if (at < text.length() && text.charAt(at) == c) {
                at++;
                return true;
            }
            return false;
        }

        void expect(char c) {
            if (!next(c)) {
                throw new IllegalArgumentException("'" + c + "' expected at " + at);
            }
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= text.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (at >= text.length()) {
                    throw new IllegalArgumentException("unterminated escape");
                }
                char e = text.charAt(at++);
                switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (at + 4 > text.length()) {
                        throw new IllegalArgumentException("short \\u escape");
                    }
                    out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e);
                }
            }
        }
    }
}
