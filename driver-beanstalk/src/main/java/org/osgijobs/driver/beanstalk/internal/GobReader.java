package org.osgijobs.driver.beanstalk.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one self-describing gob stream (Go's {@code encoding/gob}) whose value is a struct: the type definitions the
 * stream carries first, then the value, decoded generically by those definitions. Any type ids the sender's process
 * assigned are accepted; nothing of the value's shape is assumed here ({@link ItemCodec} maps it to the job item).
 * <p>
 * Values come out as: {@code bool} → {@link Boolean}; {@code int}, {@code uint} → {@link Long}; {@code float} →
 * {@link Double}; {@code string}, {@code []byte} and the bytes of a GobEncoder → {@code byte[]}; slices and arrays →
 * {@link List}; maps → {@link Map}; structs → {@link GobStruct}; interfaces and complex numbers →
 * {@link Unsupported}.
 */
final class GobReader {
    /** Nesting deeper than this is refused (a forged recursive type must not exhaust the stack). */
    private static final int MAX_DEPTH = 64;

    // the predefined type ids of encoding/gob
    private static final int BOOL = 1;
    private static final int INT = 2;
    private static final int UINT = 3;
    private static final int FLOAT = 4;
    private static final int BYTES = 5;
    private static final int STRING = 6;
    private static final int COMPLEX = 7;
    private static final int INTERFACE = 8;

    /** A decoded struct: its type's name, every field its type declares, and the fields the stream sent. */
    record GobStruct(String typeName, List<String> declared, Map<String, Object> fields) {
    }

    /** A value this reader skips without decoding (an interface value, a complex number). */
    record Unsupported(String what) {
    }

    private enum Kind { ARRAY, SLICE, STRUCT, MAP, ENCODER }

    private record Field(String name, long typeId) {
    }

    private record WireType(Kind kind, String name, List<Field> fields, long key, long elem, long length) {
    }

    private final Map<Long, WireType> types = new HashMap<>();

    private GobReader() {
    }

    /**
     * @param body one message's bytes
     * @return the struct value the stream carries
     * @throws GobException when the body is not a gob stream, is truncated, or its value is not a struct
     */
    static GobStruct readStruct(byte[] body) throws GobException {
        return new GobReader().read(body);
    }

    private GobStruct read(byte[] body) throws GobException {
        GobInput stream = new GobInput(body);
        if (stream.atEnd()) {
            throw new GobException("an empty body");
        }
        while (!stream.atEnd()) {
            int length = stream.readCount();
            if (length == 0) {
                throw new GobException("an empty gob message");
            }
            GobInput message = new GobInput(body, stream.position(), stream.position() + length);
            stream.skip(length);
            long id = message.readInt();
            if (id < 0) {
                types.put(-id, readWireType(message));
                continue;
            }
            WireType type = types.get(id);
            if (type == null || type.kind != Kind.STRUCT) {
                throw new GobException(type == null && id <= INTERFACE ? "a value of a predefined type (id " + id
                        + "), not a struct" : type == null ? "a value of undefined type id " + id
                                : "a value of type '" + type.name + "', not a struct");
            }
            return readStructValue(type, message, 0);
        }
        throw new GobException("type definitions without a value");
    }

    // ---- type definitions: wireType {ArrayT, SliceT, StructT, MapT, GobEncoderT, BinaryMarshalerT, TextMarshalerT}

    private WireType readWireType(GobInput in) throws GobException {
        WireType result = null;
        long field = -1;
        for (long delta; (delta = in.readUint()) != 0;) {
            field += delta;
            if (result != null) {
                throw new GobException("a type definition with two kinds");
            }
            if (field == 0) {
                result = readComposite(in, Kind.ARRAY);
            } else if (field == 1) {
                result = readComposite(in, Kind.SLICE);
            } else if (field == 2) {
                result = readComposite(in, Kind.STRUCT);
            } else if (field == 3) {
                result = readComposite(in, Kind.MAP);
            } else if (field >= 4 && field <= 6) {
                result = readComposite(in, Kind.ENCODER);
            } else {
                throw new GobException("a type definition with unknown field " + field);
            }
        }
        if (result == null) {
            throw new GobException("an empty type definition");
        }
        return result;
    }

    /** arrayType {CommonType, Elem, Len}, sliceType {CommonType, Elem}, structType {CommonType, Field},
     *  mapType {CommonType, Key, Elem}, gobEncoderType {CommonType}; CommonType is {Name, Id}. */
    private WireType readComposite(GobInput in, Kind kind) throws GobException {
        String name = "";
        long key = 0;
        long elem = 0;
        long length = 0;
        List<Field> fields = new ArrayList<>();
        long field = -1;
        for (long delta; (delta = in.readUint()) != 0;) {
            field += delta;
            if (field == 0) {
                name = readCommonTypeName(in);
            } else if (kind == Kind.STRUCT && field == 1) {
                int count = in.readCount();
                for (int i = 0; i < count; i++) {
                    fields.add(readFieldType(in));
                }
            } else if ((kind == Kind.ARRAY || kind == Kind.SLICE) && field == 1 || kind == Kind.MAP && field == 2) {
                elem = in.readInt();
            } else if (kind == Kind.MAP && field == 1) {
                key = in.readInt();
            } else if (kind == Kind.ARRAY && field == 2) {
                length = in.readInt();
            } else {
                throw new GobException("a " + kind + " type definition with unknown field " + field);
            }
        }
        return new WireType(kind, name, List.copyOf(fields), key, elem, length);
    }

    private static String readCommonTypeName(GobInput in) throws GobException {
        String name = "";
        long field = -1;
        for (long delta; (delta = in.readUint()) != 0;) {
            field += delta;
            if (field == 0) {
                name = in.readString();
            } else if (field == 1) {
                in.readInt(); // the sender's id of the type, known already from the message
            } else {
                throw new GobException("a type name with unknown field " + field);
            }
        }
        return name;
    }

    private static Field readFieldType(GobInput in) throws GobException {
        String name = "";
        long id = 0;
        long field = -1;
        for (long delta; (delta = in.readUint()) != 0;) {
            field += delta;
            if (field == 0) {
                name = in.readString();
            } else if (field == 1) {
                id = in.readInt();
            } else {
                throw new GobException("a struct field definition with unknown field " + field);
            }
        }
        return new Field(name, id);
    }

    // ---- values ---------------------------------------------------------------------------------------------

    private GobStruct readStructValue(WireType type, GobInput in, int depth) throws GobException {
        Map<String, Object> values = new LinkedHashMap<>();
        long field = -1;
        for (long delta; (delta = in.readUint()) != 0;) {
            field += delta;
            if (field < 0 || field >= type.fields.size()) {
                throw new GobException("field number " + field + " of struct '" + type.name + "', which has "
                        + type.fields.size());
            }
            Field f = type.fields.get((int) field);
            values.put(f.name, readValue(f.typeId, in, depth + 1));
        }
        List<String> declared = new ArrayList<>(type.fields.size());
        type.fields.forEach(f -> declared.add(f.name));
        return new GobStruct(type.name, Collections.unmodifiableList(declared), Collections.unmodifiableMap(values));
    }

    private Object readValue(long typeId, GobInput in, int depth) throws GobException {
        if (depth > MAX_DEPTH) {
            throw new GobException("values nested deeper than " + MAX_DEPTH);
        }
        switch ((int) Math.min(typeId, Integer.MAX_VALUE)) {
        case BOOL:
            return in.readUint() != 0;
        case INT:
            return in.readInt();
        case UINT:
            return in.readUint();
        case FLOAT:
            return in.readFloat();
        case BYTES:
        case STRING:
            return in.readBytes();
        case COMPLEX:
            in.readFloat();
            in.readFloat();
            return new Unsupported("complex");
        case INTERFACE:
            return skipInterface(in);
        default:
            break;
        }
        WireType type = types.get(typeId);
        if (type == null) {
            throw new GobException("a value of undefined type id " + typeId);
        }
        switch (type.kind) {
        case STRUCT:
            return readStructValue(type, in, depth);
        case SLICE:
        case ARRAY: {
            int count = in.readCount();
            if (type.kind == Kind.ARRAY && count != type.length) {
                throw new GobException("an array of " + count + " elements for type '" + type.name + "' of "
                        + type.length);
            }
            List<Object> list = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                list.add(readValue(type.elem, in, depth + 1));
            }
            return Collections.unmodifiableList(list);
        }
        case MAP: {
            int count = in.readCount();
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                Object k = readValue(type.key, in, depth + 1);
                map.put(k instanceof byte[] ? new String((byte[]) k, java.nio.charset.StandardCharsets.UTF_8) : k,
                        readValue(type.elem, in, depth + 1));
            }
            return Collections.unmodifiableMap(map);
        }
        case ENCODER:
            return in.readBytes();
        default:
            throw new GobException("a value of unknown kind " + type.kind);
        }
    }

    /** An interface value: the concrete type's name, then (unless nil) its type id and its length-prefixed value. */
    private static Object skipInterface(GobInput in) throws GobException {
        String name = in.readString();
        if (name.isEmpty()) {
            return new Unsupported("nil interface");
        }
        in.readInt();
        in.skip(in.readCount());
        return new Unsupported("interface value of type '" + name + "'");
    }
}
