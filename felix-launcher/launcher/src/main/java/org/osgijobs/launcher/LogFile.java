package org.osgijobs.launcher;

import java.io.ByteArrayOutputStream;
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
     * @return the stream standard error now writes to
     * @throws IOException when the file cannot be opened
     */
    static Tee teeStandardError(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        OutputStream log = new FileOutputStream(file.toFile(), true);
        Tee tee = new Tee(System.err, log);
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
        return tee;
    }

    /**
     * Writes to two streams; a failing log file never silences the console. What goes to the console can be held
     * for a moment (see {@link ConsoleResultGuard}) while the file gets it at once.
     */
    static final class Tee extends OutputStream implements ConsoleResultGuard.Hold {
        /**
         * Held beyond this, the console gets what was held at once: a hold costs little memory (4 MB: some 30,000
         * lines logged while the console prints a result)
         */
        static final int MAX_HELD = 4 << 20;

        private final OutputStream console;
        private final OutputStream file;
        private boolean fileBroken;
        /** What waits for the console while it is held, else {@code null}. */
        private ByteArrayOutputStream held;

        Tee(OutputStream console, OutputStream file) {
            this.console = console;
            this.file = file;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public synchronized void hold() {
            if (held == null) {
                held = new ByteArrayOutputStream();
            }
        }

        @Override
        public synchronized void release() {
            if (held == null) {
                return;
            }
            byte[] waiting = held.toByteArray();
            held = null;
            try {
                console.write(waiting); // one write: the held lines stay together
                console.flush();
            } catch (IOException e) {
                // the console is gone; the file has every line
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            if (held != null) {
                held.write(bytes, offset, length);
                if (held.size() > MAX_HELD) {
                    release();
                }
            } else {
                console.write(bytes, offset, length);
            }
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
            if (held == null) {
                console.flush();
            }
            if (!fileBroken) {
                file.flush();
            }
        }
    }
}
