package org.osgijobs.driver.beanstalk.internal;

import java.nio.charset.StandardCharsets;

/**
 * Reads the primitive encodings of Go's {@code encoding/gob} from a byte range: unsigned and signed integers, byte
 * strings, floats. Every read is bounds-checked: a truncated or forged body ends in a {@link GobException}, never in
 * an allocation larger than the body.
 */
final class GobInput {
    private final byte[] bytes;
    private int position;
    private final int end;

    GobInput(byte[] bytes, int offset, int end) {
        this.bytes = bytes;
        this.position = offset;
        this.end = end;
    }

    GobInput(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    boolean atEnd() {
        return position >= end;
    }

    int position() {
        return position;
    }

    int remaining() {
        return end - position;
    }

    /**
     * An unsigned integer: below 128 one byte; else a byte holding the negated count of big-endian bytes that follow.
     *
     * @return the value as the 64 bits of an unsigned long
     */
    long readUint() throws GobException {
        int first = next() & 0xFF;
        if (first < 0x80) {
            return first;
        }
        int count = 256 - first;
        if (count > 8) {
            throw new GobException("an unsigned integer of " + count + " bytes (at most 8)");
        }
        long value = 0;
        for (int i = 0; i < count; i++) {
            value = (value << 8) | (next() & 0xFF);
        }
        return value;
    }

    /** A signed integer: bit 0 is the sign (complemented when set), the other bits the magnitude. */
    long readInt() throws GobException {
        long u = readUint();
        return (u & 1) != 0 ? ~(u >>> 1) : u >>> 1;
    }

    /** A count of elements or bytes that must fit in what is left of the body (each takes at least a byte). */
    int readCount() throws GobException {
        long n = readUint();
        if (n < 0 || n > remaining()) {
            throw new GobException("a length of " + Long.toUnsignedString(n) + " with " + remaining()
                    + " bytes left");
        }
        return (int) n;
    }

    byte[] readBytes() throws GobException {
        int n = readCount();
        byte[] out = new byte[n];
        System.arraycopy(bytes, position, out, 0, n);
        position += n;
        return out;
    }

    String readString() throws GobException {
        return new String(readBytes(), StandardCharsets.UTF_8);
    }

    /** A float: the IEEE 754 bits with their bytes reversed, sent as an unsigned integer. */
    double readFloat() throws GobException {
        return Double.longBitsToDouble(Long.reverseBytes(readUint()));
    }

    void skip(int n) throws GobException {
        if (n < 0 || n > remaining()) {
            throw new GobException("cannot skip " + n + " bytes with " + remaining() + " left");
        }
        position += n;
    }

    private byte next() throws GobException {
        if (position >= end) {
            throw new GobException("the body ends in the middle of a value");
        }
        return bytes[position++];
    }
}
