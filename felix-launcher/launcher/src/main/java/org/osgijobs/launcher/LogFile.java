package org.osgijobs.launcher;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends everything written to standard error, where the SLF4J simple logger of the launcher and of the bundles
 * writes, to the console and to a log file as well, so that one configuration gives both.
 */
final class LogFile {

    private LogFile() {
    }

    /**
     * @param file the log file, appended to; its folder is created
     * @throws IOException when the file cannot be opened
     */
    static void teeStandardError(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        OutputStream log = new FileOutputStream(file.toFile(), true);
        System.setErr(new PrintStream(new Tee(System.err, log), true, StandardCharsets.UTF_8));
    }

    /** Writes to two streams; a failing log file never silences the console. */
    static final class Tee extends OutputStream {
        private final OutputStream console;
        private final OutputStream file;
        private boolean fileBroken;

        Tee(OutputStream console, OutputStream file) {
            this.console = console;
            this.file = file;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            console.write(bytes, offset, length);
            if (!fileBroken) {
                try {
                    file.write(bytes, offset, length);
                } catch (IOException e) {
                    fileBroken = true;
                    console.write(("log file no longer writable: " + e.getMessage() + System.lineSeparator())
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            console.flush();
            if (!fileBroken) {
                file.flush();
            }
        }
    }
}
