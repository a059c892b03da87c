package org.osgijobs.driver.local.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgijobs.api.Message;

/**
 * One job as the file keeps it: the message with its current headers, its effective priority and, for a delayed
 * job, the wall-clock time at which it becomes ready (so that a delay outlives a restart). Immutable.
 * <p>
 * The bytes are a small versioned layout of our own (the store only sees {@code byte[]} values): a format byte,
 * then priority, due time, the message's fields, headers and payload. A reader refuses a format it does not know.
 *
 * @param sequence the job's key in the file: the order in which jobs were stored
 * @param message  the job, its delay already turned into {@code dueMillis}
 * @param priority the effective priority (the message's, or the pipeline's when the message's is 0)
 * @param dueMillis the epoch millisecond at which a delayed job becomes ready; 0 for a ready job
 */
record JobRecord(long sequence, Message message, long priority, long dueMillis) {
    static final byte FORMAT = 1;

    boolean delayed() {
        return dueMillis != 0;
    }

    JobRecord withHeaders(Map<String, List<String>> headers) {
        return new JobRecord(sequence, message.toBuilder().headers(headers).build(), priority, dueMillis);
    }

    byte[] toBytes() {
        // the exact size first, so that the record is written into its final array once
        byte[] id = utf8(message.id());
        byte[] name = utf8(message.name());
        byte[] pipeline = utf8(message.pipeline());
        Map<String, List<String>> headers = message.headers();
        List<byte[]> headerBytes = new ArrayList<>(headers.size() * 2);
        int size = 1 + 8 + 8 + 8 + 1 + 4 + id.length + 4 + name.length + 4 + pipeline.length + 4;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            byte[] key = utf8(header.getKey());
            headerBytes.add(key);
            size += 4 + key.length + 4;
            for (String value : header.getValue()) {
                byte[] bytes = utf8(value);
                headerBytes.add(bytes);
                size += 4 + bytes.length;
            }
        }
        byte[] payload = message.payload();
        size += 4 + payload.length;
        ByteBuffer out = ByteBuffer.allocate(size); // big-endian, as DataOutputStream wrote (and fromBytes reads)
        out.put(FORMAT).putLong(priority).putLong(dueMillis).putLong(message.priority())
                .put((byte) (message.autoAck() ? 1 : 0));
        putBytes(out, id);
        putBytes(out, name);
        putBytes(out, pipeline);
        out.putInt(headers.size());
        int next = 0;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            putBytes(out, headerBytes.get(next++));
            out.putInt(header.getValue().size());
            for (int v = 0; v < header.getValue().size(); v++) {
                putBytes(out, headerBytes.get(next++));
            }
        }
        putBytes(out, payload);
        return out.array();
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes.length).put(bytes);
    }

    /**
     * @throws IOException when the bytes are not a record of a known format
     */
    static JobRecord fromBytes(long sequence, byte[] bytes) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT) {
                throw new IOException("unknown record format " + format);
            }
            long priority = in.readLong();
            long due = in.readLong();
            long messagePriority = in.readLong();
            boolean autoAck = in.readBoolean();
            String id = readString(in);
            String name = readString(in);
            String pipeline = readString(in);
            int headerCount = readCount(in);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 0; i < headerCount; i++) {
                String key = readString(in);
                int valueCount = readCount(in);
                List<String> values = new ArrayList<>(valueCount);
                for (int v = 0; v < valueCount; v++) {
                    values.add(readString(in));
                }
                headers.put(key, values);
            }
            byte[] payload = new byte[readCount(in)];
            in.readFully(payload);
            Message message = Message.builder(name).id(id).pipeline(pipeline).priority(messagePriority)
                    .autoAck(autoAck).headers(headers).payload(payload).build();
            return new JobRecord(sequence, message, priority, due);
        } catch (RuntimeException e) {
            throw new IOException("malformed record: " + e.getMessage(), e);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[readCount(in)];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    private static int readCount(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > in.available()) {
            throw new IOException("length " + count + " exceeds the record");
        }
        return count;
    }
}
