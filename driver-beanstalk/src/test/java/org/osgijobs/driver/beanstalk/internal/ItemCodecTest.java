package org.osgijobs.driver.beanstalk.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Test;

/**
 * The gob codec against Go's own encoding/gob, both ways. The {@code go-*.gob} files were written by Go
 * ({@code src/test/go/main.go gen}); the {@code java-*.gob} files were written by this encoder and accepted by Go's
 * decoder ({@code main.go verify}): this encoder must still write exactly those bytes. Run with
 * {@code -Dgob.golden.write=DIR} to write the Java files anew into DIR (then verify them with Go, see the README).
 */
public class ItemCodecTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = ItemCodecTest.class.getResourceAsStream("/gob/" + name)) {
            assertNotNull("missing test resource gob/" + name, in);
            return in.readAllBytes();
        }
    }

    @Test
    public void decodesEveryGoldenItemOfGoFieldByField() throws Exception {
        for (Map.Entry<String, WireItem> c : GobCases.all().entrySet()) {
            ItemCodec.Read read = ItemCodec.decode(resource("go-" + c.getKey() + ".gob"));
            WireItem want = c.getValue();
            WireItem got = read.item();
            String at = c.getKey() + ": ";
            assertEquals(at + "no problems", List.of(), read.problems());
            assertEquals(at + "Job", want.job(), got.job());
            assertEquals(at + "Ident", want.ident(), got.ident());
            assertArrayEquals(at + "Payload", want.payload(), got.payload());
            assertEquals(at + "Hdrs", want.headers(), got.headers());
            assertEquals(at + "Options", want.options(), got.options());
        }
    }

    @Test
    public void readsTheItemsOfOlderRoadRunnerVersions() throws Exception {
        ItemCodec.Read v5 = ItemCodec.decode(resource("go-v5.gob"));
        assertEquals(List.of(), v5.problems());
        assertEquals(new WireItem("legacy", "id-v5", GobCases.utf8("old"), null,
                new WireItem.Options(7, "old-pipe", 5, false, "")), v5.item());
        ItemCodec.Read v2 = ItemCodec.decode(resource("go-v2.gob"));
        assertEquals(List.of(), v2.problems());
        assertEquals(new WireItem("older", "id-v2", GobCases.utf8("text payload"), null,
                new WireItem.Options(3, "", 0, true, "")), v2.item());
    }

    @Test
    public void writesWhatGoWritesByteForByte() throws Exception {
        // Go orders a map's keys at random: only items with at most one header compare byte for byte
        for (Map.Entry<String, WireItem> c : GobCases.all().entrySet()) {
            WireItem item = c.getValue();
            if (item.headers() == null || item.headers().size() <= 1) {
                assertArrayEquals(c.getKey(), resource("go-" + c.getKey() + ".gob"), ItemCodec.encode(item));
            }
        }
    }

    @Test
    public void writesTheBytesGoVerified() throws Exception {
        String dir = System.getProperty("gob.golden.write");
        for (Map.Entry<String, WireItem> c : GobCases.all().entrySet()) {
            byte[] ours = ItemCodec.encode(c.getValue());
            if (dir != null) {
                Files.createDirectories(Path.of(dir));
                Files.write(Path.of(dir, "java-" + c.getKey() + ".gob"), ours);
            } else {
                assertArrayEquals(c.getKey(), resource("java-" + c.getKey() + ".gob"), ours);
            }
            assertEquals(c.getKey() + " round trip", c.getValue(), ItemCodec.decode(ours).item());
        }
    }

    @Test
    public void aGobOfAnotherStructIsNotAnItem() throws Exception {
        try {
            ItemCodec.decode(resource("go-other-struct.gob"));
            fail("decoded a struct without item fields");
        } catch (GobException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("none of the item's fields"));
        }
    }

    @Test
    public void bodiesThatAreNoGobAreRefused() {
        for (byte[] body : new byte[][] { new byte[0], GobCases.utf8("{\"job\":\"x\"}"), GobCases.utf8("hello"),
                new byte[] { 5, -1, -127 }, new byte[] { (byte) 0x80 } }) {
            try {
                ItemCodec.decode(body);
                fail("decoded " + new String(body));
            } catch (GobException expected) {
                // a foreign message
            }
        }
    }

    @Test
    public void everyTruncationOfAGoldenBodyIsRefusedNotThrownAt() throws Exception {
        byte[] full = resource("go-full.gob");
        for (int n = 0; n < full.length; n++) {
            byte[] cut = java.util.Arrays.copyOf(full, n);
            try {
                ItemCodec.decode(cut);
                fail("decoded the first " + n + " bytes");
            } catch (GobException expected) {
                // refused with a message, no other exception
            }
        }
    }

    @Test
    public void aFieldOfAnotherTypeTakesItsZeroValueAndIsNamed() throws Exception {
        // an item whose Options.Priority is a string, hand-built with the codec's own primitives
        GobOutput out = new GobOutput(64);
        byte[] itemType = new GobOutput(64).sint(-65).uint(3).uint(1).uint(1).string("Item").uint(1).sint(65).uint(0)
                .uint(1).uint(2).uint(1).string("Job").uint(1).sint(6).uint(0).uint(1).string("Options").uint(1)
                .sint(66).uint(0).uint(0).uint(0).toByteArray();
        byte[] optionsType = new GobOutput(64).sint(-66).uint(3).uint(1).uint(1).string("Options").uint(1).sint(66)
                .uint(0).uint(1).uint(1).uint(1).string("Priority").uint(1).sint(6).uint(0).uint(0).uint(0)
                .toByteArray();
        byte[] value = new GobOutput(64).sint(65).uint(1).string("j").uint(1).uint(1).string("high").uint(0).uint(0)
                .toByteArray();
        out.uint(itemType.length).raw(itemType).uint(optionsType.length).raw(optionsType).uint(value.length)
                .raw(value);
        ItemCodec.Read read = ItemCodec.decode(out.toByteArray());
        assertEquals("j", read.item().job());
        assertEquals(0, read.item().options().priority());
        assertEquals(List.of("field Options.Priority is a string, not an integer"), read.problems());
        assertNull(read.item().headers());
        assertFalse(read.item().options().autoAck());
    }
}
