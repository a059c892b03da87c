package org.osgijobs.driver.local.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.Test;
import org.osgijobs.api.Message;
import org.osgijobs.testing.TestQueue;

/** The layout of one job in the file, and what a reader does with bytes it cannot read. */
public class JobRecordTest extends LocalFixture {

    private static JobRecord sample() {
        Message message = Message.builder("report").id("id-7").pipeline("p").priority(3).autoAck(true)
                .headers(Map.of("trace", List.of("a", "b"), "empty", List.of(), "ünï", List.of("çødé")))
                .payload(new byte[] {1, 2, 3}).build();
        return new JobRecord(42, message, 3, 1_700_000_000_000L);
    }

    @Test
    public void aRecordReadsBackFieldByField() throws IOException {
        JobRecord record = sample();
        JobRecord back = JobRecord.fromBytes(42, record.toBytes());
        assertEquals(42, back.sequence());
        assertEquals(3, back.priority());
        assertEquals(1_700_000_000_000L, back.dueMillis());
        assertEquals("report", back.message().name());
        assertEquals("id-7", back.message().id());
        assertEquals("p", back.message().pipeline());
        assertEquals(3, back.message().priority());
        assertTrue(back.message().autoAck());
        assertEquals(record.message().headers(), back.message().headers());
        assertArrayEquals(new byte[] {1, 2, 3}, back.message().payload());
    }

    @Test
    public void truncatedOrForeignBytesAreRefusedNotGuessed() {
        byte[] bytes = sample().toBytes();
        for (int cut : new int[] {0, 1, 9, bytes.length / 2, bytes.length - 1}) {
            expectUnreadable(Arrays.copyOf(bytes, cut));
        }
        byte[] otherFormat = bytes.clone();
        otherFormat[0] = 9;
        expectUnreadable(otherFormat);
        byte[] hugeLength = bytes.clone();
        Arrays.fill(hugeLength, 26, 30, (byte) 0x7f); // the id's length
        expectUnreadable(hugeLength);
    }

    private static void expectUnreadable(byte[] bytes) {
        try {
            JobRecord.fromBytes(1, bytes);
            fail("read " + bytes.length + " bytes as a record");
        } catch (IOException e) {
            // the reader says so instead of making up a job
        }
    }

    @Test
    public void anUnreadableJobStaysInTheFileAndTheOthersRun() throws Exception {
        TestQueue queue = queue();
        LocalDriver first = driver(queue);
        pushAll(first, "a", "b");
        first.stop();
        try (MVStore raw = new MVStore.Builder().fileName(file().toString()).open()) {
            MVMap<Long, byte[]> jobs = raw.openMap(JobStore.JOBS + 0);
            jobs.put(1L, new byte[] {9, 9, 9}); // job 'a' damaged
        }
        LocalDriver second = running(queue);
        assertEquals(List.of("b"), names(take(queue, 1)));
        second.stop();
        try (MVStore raw = new MVStore.Builder().fileName(file().toString()).readOnly().open()) {
            assertArrayEquals("the damaged job is left for an operator", new byte[] {9, 9, 9},
                    raw.<Long, byte[]>openMap(JobStore.JOBS + 0).get(1L));
        }
        assertTrue(Files.exists(file()));
    }
}
