package org.osgijobs.driver.sqs.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of {@code rr_headers}: an object whose values are arrays of strings (RoadRunner also writes a lone string,
 * or {@code null}, which read as one value or none). Nothing else: a nested object or a number is malformed.
 */
final class HeadersJson {
    private final String text;
    private int pos;

    private HeadersJson(String text) {
        this.text = text;
    }

    static String write(Map<String, List<String>> headers) {
        StringBuilder b = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, e.getKey());
            b.append(":[");
            for (int i = 0; i < e.getValue().size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                string(b, e.getValue().get(i));
            }
            b.append(']');
        }
        return b.append('}').toString();
    }

    /**
     * @param text JSON text
     * @return the headers in their order
     * @throws IllegalArgumentException saying where the text is not such an object
     */
    static Map<String, List<String>> read(String text) {
        HeadersJson p = new HeadersJson(text);
        Map<String, List<String>> out = new LinkedHashMap<>();
        p.skip();
        if (p.peek() == 'n' && text.startsWith("null", p.pos)) {
            return Map.of();
        }
        p.expect('{');
        p.skip();
        if (p.peek() == '}') {
            p.pos++;
        } else {
            while (true) {
                p.skip();
                String key = p.string();
                p.skip();
                p.expect(':');
                p.skip();
                out.put(key, p.values());
                p.skip();
                char c = p.next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw p.error("',' or '}'");
                }
            }
        }
        p.skip();
        if (p.pos != text.length()) {
            throw p.error("the end of the text");
        }
        return Collections.unmodifiableMap(out);
    }

    private List<String> values() {
        char c = peek();
        if (c == '"') {
            return List.of(string());
        }
        if (c == 'n' && text.startsWith("null", pos)) {
            pos += 4;
            return List.of();
        }
        expect('[');
        List<String> values = new ArrayList<>();
        skip();
        if (peek() == ']') {
            pos++;
            return values;
        }
        while (true) {
            skip();
            values.add(string());
            skip();
            char n = next();
            if (n == ']') {
                return values;
            }
            if (n != ',') {
                throw error("',' or ']'");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
            case '"': case '\\': case '/':
                b.append(e);
                break;
            case 'b': b.append('\b'); break;
            case 'f': b.append('\f'); break;
            case 'n': b.append('\n'); break;
            case 'r': b.append('\r'); break;
            case 't': b.append('\t'); break;
            case 'u':
                if (pos + 4 > text.length()) {
                    throw error("four hex digits");
                }
                try {
                    b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                } catch (NumberFormatException x) {
                    throw error("four hex digits");
                }
                pos += 4;
                break;
            default:
                throw error("an escape");
            }
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    private void skip() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private char next() {
        if (pos >= text.length()) {
            throw error("more text");
        }
        return text.charAt(pos++);
    }

    private void expect(char c) {
        if (next() != c) {
            pos--;
            throw error("'" + c + "'");
        }
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("expected " + expected + " at character " + pos);
    }
}
