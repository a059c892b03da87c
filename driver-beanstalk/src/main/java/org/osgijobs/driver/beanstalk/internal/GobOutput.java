package org.osgijobs.driver.beanstalk.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes the primitive encodings of Go's {@code encoding/gob} into a growing buffer; the inverse of {@link GobInput}. */
final class GobOutput {
    private byte[] buffer;
    private int size;

    GobOutput(int capacity) {
        buffer = new byte[Math.max(16, capacity)];
    }

    GobOutput uint(long value) {
        if (value >= 0 && value < 0x80) {
            put((byte) value);
            return this;
        }
        int count = 8 - Long.numberOfLeadingZeros(value) / 8;
        put((byte) (256 - count));
        for (int i = count - 1; i >= 0; i--) {
            put((byte) (value >>> (8 * i)));
        }
        return this;
    }

    GobOutput sint(long value) {
        return uint(value < 0 ? (~value << 1) | 1 : value << 1);
    }

    GobOutput bytes(byte[] value) {
        uint(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, buffer, size, value.length);
        size += value.length;
        return this;
    }

    GobOutput string(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    GobOutput raw(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, buffer, size, value.length);
        size += value.length;
        return this;
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void put(byte b) {
        ensure(1);
        buffer[size++] = b;
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
