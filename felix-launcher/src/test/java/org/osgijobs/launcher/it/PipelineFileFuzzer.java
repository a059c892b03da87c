package org.osgijobs.launcher.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Generates pipeline files from a seed (the same seed, the same files): random names, keys, values, syntax and
 * encodings, each file with what the runtime must make of it, so that a test can check every one.
 */
final class PipelineFileFuzzer {

    /** How a file's text becomes bytes. */
    enum Encoding {
        /** UTF-8, as the distribution reads {@code .cfg} files. */
        UTF8,
        /** Non-ASCII characters as {@code \\uXXXX} escapes. */
        ESCAPES,
        /** ISO-8859-1 bytes (not valid UTF-8): only values nothing checks hold non-ASCII characters then. */
        LATIN1,
        /** UTF-8 with a byte order mark (it sticks to the first line, a comment here). */
        BOM,
        /** UTF-8 with Windows line ends. */
        CRLF
    }

    /**
     * One generated file and what it must give.
     *
     * @param fileName     {@code jobs.pipeline-<part>.cfg}
     * @param bytes        its content
     * @param pipeline     the pipeline's name: its {@code name} key, else the part of the file name
     * @param driver       the driver as the runtime reads it (trimmed), or {@code null} when the file names none
     * @param invalidKeys  the keys whose values make the pipeline invalid (its error names one of them)
     * @param unknownKeys  the keys nothing reads (warned of)
     * @param refused      {@code true} when ConfigAdmin refuses the file (two keys differing in case): no pipeline
     * @param consume      whether a valid memory pipeline consumes
     * @param encoding     how it was written
     */
    record FuzzFile(String fileName, byte[] bytes, String pipeline, String driver, Set<String> invalidKeys,
            Set<String> unknownKeys, boolean refused, boolean consume, Encoding encoding) {

        boolean valid() {
            return invalidKeys.isEmpty();
        }

        @Override
        public String toString() {
            return fileName + " (" + encoding + ", pipeline '" + pipeline + "', driver " + driver + ", invalid "
                    + invalidKeys + ", unknown " + unknownKeys + (refused ? ", refused" : "") + "):\n"
                    + new String(bytes, encoding == Encoding.LATIN1 ? StandardCharsets.ISO_8859_1
                            : StandardCharsets.UTF_8);
        }
    }

    private static final String[] INT_KEYS = { "max_attempts", "retry_delay", "retry_max_delay", "no_handler_delay",
        "no_handler_rounds", "job_timeout" };
    private static final String[] MEMORY_KEYS = { "prefetch", "max_jobs" };
    /** Valid for every integer key above and for priority: all at least 1. */
    private static final String[] GOOD_INTS = { "1", "2", "3", "7", "10", " 5 " };
    /** Invalid for every integer key above (an int: 99999999999999 is beyond it). */
    private static final String[] BAD_INTS = { "many", "-5", "99999999999999", "1.5", "0x10", "12abc", "5 6" };
    /** Invalid priorities (a long, not below 0). */
    private static final String[] BAD_PRIORITIES = { "high", "-5", "99999999999999999999", "1.5", "0x10", "5 6" };
    private static final String[] GOOD_MULTIPLIERS = { "1", "1.5", "2.0", "3" };
    private static final String[] BAD_MULTIPLIERS = { "0.5", "fast", "NaN", "-2" };
    private static final String[] GOOD_BOOLS = { "true", "false", "TRUE", "False" };
    private static final String[] BAD_BOOLS = { "yes", "1", "maybe", "on" };
    private static final String[] UNKNOWN_KEYS = { "priorty", "max_atempts", "retry_dealy", "prefech", "consumee",
        "colour", "retries", "workers", "dead_letter" };
    /** Characters of names: ASCII and a few beyond, which the encodings must carry. */
    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_.\u00e9\u00df\u4e2d";
    private static final String NOTE_CHARS = "abc \u00e9\u00e8\u00fc\u00df\u00f1";

    private final Random random;

    PipelineFileFuzzer(long seed) {
        this.random = new Random(seed);
    }

    /** @return {@code count} files with distinct pipeline names, all beginning with {@code fz} */
    List<FuzzFile> files(int count) {
        List<FuzzFile> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(file(i));
        }
        return files;
    }

    private FuzzFile file(int index) {
        Encoding encoding = pick(Encoding.values(), 55, 15, 10, 10, 10);
        boolean asciiNames = encoding == Encoding.LATIN1;
        String part = "fz" + index + "-" + word(asciiNames, 1 + random.nextInt(10));
        Map<String, String> keys = new LinkedHashMap<>();
        Set<String> invalid = new TreeSet<>();
        Set<String> unknown = new TreeSet<>();

        String pipeline = part;
        if (random.nextInt(10) < 3) {
            pipeline = "fzn" + index + "-" + word(asciiNames, 1 + random.nextInt(10));
            keys.put("name", random.nextBoolean() ? pipeline : "  " + pipeline + " ");
        }
        String driver = pick(new String[] { "memory", "kafka", "amqp", null, "  memory " }, 70, 10, 8, 7, 5);
        if (driver != null) {
            keys.put("driver", driver);
        } else {
            invalid.add("driver");
        }
        String trimmedDriver = driver == null ? null : driver.trim();

        boolean consume = true;
        int options = random.nextInt(6);
        for (int o = 0; o < options; o++) {
            boolean bad = random.nextInt(10) < 3;
            switch (random.nextInt(6)) {
            case 0:
                put(keys, invalid, "priority", bad ? pick(BAD_PRIORITIES) : pick(GOOD_INTS), bad);
                break;
            case 1:
                put(keys, invalid, pick(INT_KEYS), bad ? pick(BAD_INTS) : pick(GOOD_INTS), bad);
                break;
            case 2:
                put(keys, invalid, "retry_multiplier", bad ? pick(BAD_MULTIPLIERS) : pick(GOOD_MULTIPLIERS), bad);
                break;
            case 3: {
                String value = bad ? pick(BAD_BOOLS) : pick(GOOD_BOOLS);
                put(keys, invalid, "consume", value, bad);
                consume = bad || Boolean.parseBoolean(value.trim().toLowerCase());
                break;
            }
            case 4:
                // a memory option: read by the memory driver only (for another driver an unknown or foreign key)
                put(keys, invalid, pick(MEMORY_KEYS), bad ? pick(BAD_INTS) : pick(GOOD_INTS),
                        bad && "memory".equals(trimmedDriver));
                break;
            default:
                boolean itself = bad;
                put(keys, invalid, "dead_letter_pipeline", itself ? pipeline : "failed", itself);
                break;
            }
        }
        if (random.nextInt(10) < 3) {
            String key = pick(UNKNOWN_KEYS);
            keys.put(key, word(false, 3));
            unknown.add(key);
        }
        if (random.nextInt(10) < 2) {
            keys.put("note", note()); // read by nothing: where ISO-8859-1 bytes may go
            unknown.add("note");
        }
        boolean refused = random.nextInt(100) < 3;
        if (refused) {
            keys.put("Priority", "1");
            keys.put("priority", "2");
        }
        if (!"memory".equals(trimmedDriver)) {
            // what a driver absent from the distribution would say of its options is not known here
            invalid.removeIf(k -> !k.equals("driver") && isMemoryKey(k));
        }
        String text = text(keys);
        return new FuzzFile("jobs.pipeline-" + part + ".cfg", bytes(text, encoding), pipeline, trimmedDriver,
                invalid, unknown, refused, consume, encoding);
    }

    private static boolean isMemoryKey(String key) {
        return key.equals("prefetch") || key.equals("max_jobs");
    }

    /** A later value of a key replaces the earlier one, so its validity is that of the last. */
    private static void put(Map<String, String> keys, Set<String> invalid, String key, String value, boolean bad) {
        keys.remove(key);
        keys.put(key, value);
        if (bad) {
            invalid.add(key);
        } else {
            invalid.remove(key);
        }
    }

    /** Lays the keys out with the .cfg syntax's variants: separators, comments, blank lines, continued lines. */
    private String text(Map<String, String> keys) {
        StringBuilder text = new StringBuilder("# generated pipeline file\n");
        for (Map.Entry<String, String> e : keys.entrySet()) {
            if (random.nextInt(10) == 0) {
                text.append(random.nextBoolean() ? "! a comment\n" : "\n");
            }
            String separator = pick(new String[] { "=", " = ", ":", " : " });
            String value = escape(e.getValue());
            // a continued line loses the next line's leading blanks: only values without blanks are cut
            if (value.length() > 2 && !value.contains(" ") && random.nextInt(10) == 0) {
                int cut = 1 + random.nextInt(value.length() - 1);
                value = value.substring(0, cut) + "\\\n    " + value.substring(cut);
            }
            text.append(e.getKey()).append(separator).append(value).append('\n');
        }
        return text.toString();
    }

    /** Leading blanks of a value would be dropped by the format: they are written escaped. */
    private static String escape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c == ' ' && out.toString().isBlank() ? "\\ " : String.valueOf(c));
        }
        return out.toString();
    }

    private static byte[] bytes(String text, Encoding encoding) {
        switch (encoding) {
        case ESCAPES: {
            StringBuilder out = new StringBuilder();
            for (char c : text.toCharArray()) {
                out.append(c < 128 ? String.valueOf(c) : String.format("\\u%04x", (int) c));
            }
            return out.toString().getBytes(StandardCharsets.US_ASCII);
        }
        case LATIN1:
            return text.getBytes(StandardCharsets.ISO_8859_1);
        case BOM: {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            byte[] all = new byte[body.length + 3];
            all[0] = (byte) 0xEF;
            all[1] = (byte) 0xBB;
            all[2] = (byte) 0xBF;
            System.arraycopy(body, 0, all, 3, body.length);
            return all;
        }
        case CRLF:
            return text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        default:
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }

    private String word(boolean ascii, int length) {
        StringBuilder w = new StringBuilder();
        int chars = ascii ? NAME_CHARS.length() - 3 : NAME_CHARS.length();
        for (int i = 0; i < length; i++) {
            w.append(NAME_CHARS.charAt(random.nextInt(chars)));
        }
        return w.toString();
    }

    private String note() {
        StringBuilder w = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            w.append(NOTE_CHARS.charAt(random.nextInt(NOTE_CHARS.length())));
        }
        return w.toString().trim() + "x";
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    /** Picks with weights (percent). */
    private <T> T pick(T[] values, int... weights) {
        int roll = random.nextInt(100);
        for (int i = 0; i < values.length; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }
}
