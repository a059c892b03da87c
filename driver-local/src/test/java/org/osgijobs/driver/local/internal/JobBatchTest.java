package org.osgijobs.driver.local.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.Test;

/** One commit's jobs as one value of the file: the layout, and what a reader does with bytes it cannot read. */
public class JobBatchTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static JobBatch sample() {
        return JobBatch.of(new long[] {10, 11, 15}, new byte[][] {bytes("one"), bytes(""), bytes("three")}, 3);
    }

    @Test
    public void eachJobIsFoundByItsSequence() throws IOException {
        JobBatch batch = JobBatch.read(10, sample().bytes());
        assertEquals(10, batch.key());
        assertEquals(3, batch.count());
        assertEquals(15, batch.sequence(2));
        assertEquals(0, batch.indexOf(10));
        assertEquals(2, batch.indexOf(15));
        assertEquals(-1, batch.indexOf(12));
        assertEquals(-1, batch.indexOf(9));
        assertArrayEquals(bytes("one"), batch.recordBytes(0));
        assertArrayEquals(bytes(""), batch.recordBytes(1));
        assertArrayEquals(bytes("three"), batch.recordBytes(2));
    }

    @Test
    public void sequencesThatDoNotIncreaseAreRefused() {
        try {
            JobBatch.of(new long[] {5, 5}, new byte[][] {bytes("a"), bytes("b")}, 2);
            fail("made a batch with a repeated sequence");
        } catch (IllegalArgumentException e) {
            assertEquals("sequences of a batch must increase, got 5 after 5", e.getMessage());
        }
    }

    @Test
    public void truncatedOrForeignBytesAreRefusedNotGuessed() {
        byte[] bytes = sample().bytes();
        for (int cut : new int[] {0, 1, 5, 12, bytes.length - 1}) {
            expectUnreadable(Arrays.copyOf(bytes, cut));
        }
        byte[] otherFormat = bytes.clone();
        otherFormat[0] = 1; // a record of layout 1, say
        expectUnreadable(otherFormat);
        byte[] hugeCount = bytes.clone();
        ByteBuffer.wrap(hugeCount).putInt(1, Integer.MAX_VALUE);
        expectUnreadable(hugeCount);
        byte[] decreasing = bytes.clone();
        ByteBuffer.wrap(decreasing).putInt(1 + 4 + 4, 0); // the second job's distance equals the first's
        expectUnreadable(decreasing);
    }

    private static void expectUnreadable(byte[] bytes) {
        try {
            JobBatch.read(10, bytes);
            fail("read " + bytes.length + " bytes as a batch");
        } catch (IOException e) {
            // the reader says so instead of making up jobs
        }
    }
}
