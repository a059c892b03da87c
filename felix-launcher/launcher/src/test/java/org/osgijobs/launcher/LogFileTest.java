package org.osgijobs.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

public class LogFileTest {

    @Test
    public void writesToBothStreams() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        LogFile.Tee tee = new LogFile.Tee(console, file);
        tee.write("line\n".getBytes(StandardCharsets.UTF_8));
        tee.write('x');
        assertEquals("line\nx", console.toString(StandardCharsets.UTF_8));
        assertEquals("line\nx", file.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void aBrokenFileLeavesTheConsoleWorkingAndSaysSo() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        LogFile.Tee tee = new LogFile.Tee(console, broken);
        tee.write("one\n".getBytes(StandardCharsets.UTF_8));
        tee.write("two\n".getBytes(StandardCharsets.UTF_8));
        String shown = console.toString(StandardCharsets.UTF_8);
        assertTrue(shown, shown.startsWith("one\nlog file no longer writable: disk full\ntwo\n"));
    }

    @Test
    public void heldLinesWaitForTheConsoleInOnePieceWhileTheFileGetsThemAtOnce() throws Exception {
        List<String> consoleWrites = new ArrayList<>();
        OutputStream console = new OutputStream() {
            @Override
            public void write(int b) {
                consoleWrites.add(String.valueOf((char) b));
            }

            @Override
            public void write(byte[] b, int off, int len) {
                consoleWrites.add(new String(b, off, len, StandardCharsets.UTF_8));
            }
        };
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        LogFile.Tee tee = new LogFile.Tee(console, file);
        tee.hold();
        tee.write("one\n".getBytes(StandardCharsets.UTF_8));
        tee.write("two\n".getBytes(StandardCharsets.UTF_8));
        tee.flush();
        assertEquals("held from the console", List.of(), consoleWrites);
        assertEquals("not from the file", "one\ntwo\n", file.toString(StandardCharsets.UTF_8));
        tee.release();
        assertEquals("in one write", List.of("one\ntwo\n"), consoleWrites);
        tee.write("three\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("one\ntwo\n", "three\n"), consoleWrites);
    }
}
