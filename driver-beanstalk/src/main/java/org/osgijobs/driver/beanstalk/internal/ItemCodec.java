package org.osgijobs.driver.beanstalk.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RoadRunner's beanstalk item in Go's {@code encoding/gob}, both ways.
 * <p>
 * Writing produces, byte for byte, what Go's encoder writes for RoadRunner v6's {@code *Item} in a fresh encoder
 * (one self-describing stream per job): four type definitions (the item struct, {@code map[string][]string},
 * {@code []string}, the options struct), then the value, with zero values left out as gob does. The type ids are
 * those a Go process assigns when the item is the first type it encodes; a reader takes any ids.
 * <p>
 * Reading takes any stream whose value is a struct declaring at least one of the item's fields, so also the items of
 * older RoadRunner versions (no {@code Hdrs}, a string {@code Payload}, or {@code Headers}). A field of an
 * unexpected type is left at its zero value and named in {@link Read#problems()}; a body that is not such a
 * stream throws {@link GobException}.
 */
final class ItemCodec {

    /** What a body held: the item, and the fields that could not be read (one entry each, naming the field). */
    record Read(WireItem item, List<String> problems) {
    }

    private static final long ITEM_ID = 65;
    private static final long STRINGS_ID = 66;
    private static final long HEADERS_ID = 67;
    private static final long OPTIONS_ID = 68;
    private static final long STRING_ID = 6;
    private static final long BYTES_ID = 5;
    private static final long INT_ID = 2;
    private static final long BOOL_ID = 1;

    /** The four type definition messages, the same for every item. */
    private static final byte[] TYPES = typeDefinitions();

    private ItemCodec() {
    }

    // ---- writing --------------------------------------------------------------------------------------------

    static byte[] encode(WireItem item) {
        byte[] payload = item.payload();
        GobOutput value = new GobOutput(64 + payload.length);
        value.sint(ITEM_ID);
        int field = -1;
        if (!item.job().isEmpty()) {
            delta(value, field, 0).string(item.job());
            field = 0;
        }
        if (!item.ident().isEmpty()) {
            delta(value, field, 1).string(item.ident());
            field = 1;
        }
        if (payload.length > 0) {
            delta(value, field, 2).bytes(payload);
            field = 2;
        }
        if (item.headers() != null) {
            delta(value, field, 3).uint(item.headers().size());
            item.headers().forEach((k, values) -> {
                value.string(k).uint(values.size());
                values.forEach(value::string);
            });
            field = 3;
        }
        if (item.options() != null) {
            delta(value, field, 4);
            writeOptions(value, item.options());
        }
        value.uint(0);
        byte[] body = value.toByteArray();
        GobOutput out = new GobOutput(TYPES.length + body.length + 10);
        out.raw(TYPES).uint(body.length).raw(body);
        return out.toByteArray();
    }

    private static void writeOptions(GobOutput out, WireItem.Options o) {
        int field = -1;
        if (o.priority() != 0) {
            delta(out, field, 0).sint(o.priority());
            field = 0;
        }
        if (!o.pipeline().isEmpty()) {
            delta(out, field, 1).string(o.pipeline());
            field = 1;
        }
        if (o.delay() != 0) {
            delta(out, field, 2).sint(o.delay());
            field = 2;
        }
        if (o.autoAck()) {
            delta(out, field, 3).uint(1);
            field = 3;
        }
        if (!o.queue().isEmpty()) {
            delta(out, field, 4).string(o.queue());
        }
        out.uint(0);
    }

    private static GobOutput delta(GobOutput out, int previous, int field) {
        return out.uint(field - previous);
    }

    private static byte[] typeDefinitions() {
        GobOutput out = new GobOutput(256);
        message(out, ITEM_ID, structType("Item", ITEM_ID, new String[] { "Job", "Ident", "Payload", "Hdrs", "Options" },
                new long[] { STRING_ID, STRING_ID, BYTES_ID, HEADERS_ID, OPTIONS_ID }));
        // mapType {CommonType{Name, Id}, Key, Elem} in wireType field 3 (MapT)
        message(out, HEADERS_ID, new GobOutput(32).uint(4).uint(1).uint(1).string("map[string][]string").uint(1)
                .sint(HEADERS_ID).uint(0).uint(1).sint(STRING_ID).uint(1).sint(STRINGS_ID).uint(0).uint(0));
        // sliceType {CommonType{Id} (Go leaves the name of []string empty), Elem} in wireType field 1 (SliceT)
        message(out, STRINGS_ID, new GobOutput(16).uint(2).uint(1).uint(2).sint(STRINGS_ID).uint(0).uint(1)
                .sint(STRING_ID).uint(0).uint(0));
        message(out, OPTIONS_ID, structType("Options", OPTIONS_ID,
                new String[] { "Priority", "Pipeline", "Delay", "AutoAck", "Queue" },
                new long[] { INT_ID, STRING_ID, INT_ID, BOOL_ID, STRING_ID }));
        return out.toByteArray();
    }

    /** structType {CommonType{Name, Id}, Field []fieldType{Name, Id}} in wireType field 2 (StructT). */
    private static GobOutput structType(String name, long id, String[] names, long[] ids) {
        GobOutput t = new GobOutput(128).uint(3).uint(1).uint(1).string(name).uint(1).sint(id).uint(0).uint(1)
                .uint(names.length);
        for (int i = 0; i < names.length; i++) {
            t.uint(1).string(names[i]).uint(1).sint(ids[i]).uint(0);
        }
        return t.uint(0).uint(0);
    }

    private static void message(GobOutput out, long id, GobOutput definition) {
        byte[] body = new GobOutput(8).sint(-id).raw(definition.toByteArray()).toByteArray();
        out.uint(body.length).raw(body);
    }

    // ---- reading --------------------------------------------------------------------------------------------

    /**
     * @param body a job's body
     * @return the item, with the fields that could not be read named
     * @throws GobException when the body is not a gob stream of a struct sharing a field with the item
     */
    static Read decode(byte[] body) throws GobException {
        GobReader.GobStruct s = GobReader.readStruct(body);
        List<String> declared = s.declared();
        if (!declared.contains("Job") && !declared.contains("Ident") && !declared.contains("Payload")
                && !declared.contains("Options")) {
            throw new GobException("a gob of struct '" + s.typeName() + "' with none of the item's fields");
        }
        List<String> problems = new ArrayList<>(0);
        Map<String, Object> f = s.fields();
        String job = text(f, "Job", problems);
        String ident = text(f, "Ident", problems);
        byte[] payload = new byte[0];
        Object p = f.get("Payload");
        if (p instanceof byte[]) {
            payload = (byte[]) p;
        } else if (p != null) {
            problems.add(wrongType("Payload", p, "bytes or a string"));
        }
        Map<String, List<String>> headers = null;
        String headerField = declared.contains("Hdrs") ? "Hdrs" : "Headers";
        Object h = f.get(headerField);
        if (h != null) {
            headers = headers(h);
            if (headers == null) {
                problems.add(wrongType(headerField, h, "a map of strings to lists of strings"));
            }
        }
        WireItem.Options options = null;
        Object o = f.get("Options");
        if (o instanceof GobReader.GobStruct) {
            Map<String, Object> of = ((GobReader.GobStruct) o).fields();
            options = new WireItem.Options(number(of, "Options.Priority", "Priority", problems),
                    text(of, "Options.Pipeline", "Pipeline", problems), number(of, "Options.Delay", "Delay", problems),
                    bool(of, "Options.AutoAck", "AutoAck", problems), text(of, "Options.Queue", "Queue", problems));
        } else if (o != null) {
            problems.add(wrongType("Options", o, "a struct"));
        }
        return new Read(new WireItem(job, ident, payload, headers, options), Collections.unmodifiableList(problems));
    }

    private static Map<String, List<String>> headers(Object value) {
        if (!(value instanceof Map)) {
            return null;
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            if (!(e.getKey() instanceof String) || !(e.getValue() instanceof List)) {
                return null;
            }
            List<String> values = new ArrayList<>();
            for (Object v : (List<?>) e.getValue()) {
                if (!(v instanceof byte[])) {
                    return null;
                }
                values.add(new String((byte[]) v, StandardCharsets.UTF_8));
            }
            out.put((String) e.getKey(), values);
        }
        return out;
    }

    private static String text(Map<String, Object> fields, String name, List<String> problems) {
        return text(fields, name, name, problems);
    }

    private static String text(Map<String, Object> fields, String shown, String name, List<String> problems) {
        Object v = fields.get(name);
        if (v == null) {
            return "";
        }
        if (v instanceof byte[]) {
            return new String((byte[]) v, StandardCharsets.UTF_8);
        }
        problems.add(wrongType(shown, v, "a string"));
        return "";
    }

    private static long number(Map<String, Object> fields, String shown, String name, List<String> problems) {
        Object v = fields.get(name);
        if (v == null) {
            return 0;
        }
        if (v instanceof Long) {
            return (Long) v;
        }
        problems.add(wrongType(shown, v, "an integer"));
        return 0;
    }

    private static boolean bool(Map<String, Object> fields, String shown, String name, List<String> problems) {
        Object v = fields.get(name);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        problems.add(wrongType(shown, v, "a bool"));
        return false;
    }

    private static String wrongType(String field, Object value, String expected) {
        String found = value instanceof byte[] ? "a string" : value instanceof Long ? "an integer"
                : value instanceof Boolean ? "a bool" : value instanceof Double ? "a float"
                        : value instanceof List ? "a list" : value instanceof Map ? "a map"
                                : value instanceof GobReader.GobStruct ? "a struct" : "an unsupported value";
        return "field " + field + " is " + found + ", not " + expected;
    }
}
