package org.osgijobs.core.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgijobs.api.Jobs;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.State;

/**
 * What the {@code jobs:*} commands do, as text: each method returns what the command prints, and bad input comes back
 * as a {@link JobsException} with a message naming the problem (the methods without their arguments name the
 * missing one with the usage). {@link JobsCommands} is the shell's side: it parses the words and prints.
 */
final class JobsCommandTexts {
    private final Jobs jobs;

    JobsCommandTexts(Jobs jobs) {
        this.jobs = jobs;
    }

    /** {@code jobs:list}: the pipeline names, one per line. */
    String list() {
        return String.join(System.lineSeparator(), jobs.list());
    }

    /** {@code jobs:stat}: a table of every pipeline's state. */
    String stat() {
        return StatTable.render(jobs.stat());
    }

    /** {@code jobs:stat <pipeline>}: the state of one pipeline. */
    String stat(String pipeline) {
        return StatTable.render(List.of(jobs.stat(pipeline)));
    }

    /** {@code jobs:stats} without a pipeline: says what is missing. */
    String stats() {
        throw usage("stats <pipeline>", "the pipeline");
    }

    /** {@code jobs:push} without a pipeline: says what is missing. */
    String push() {
        throw usage(PUSH_USAGE, "the pipeline and the job's name");
    }

    /** {@code jobs:push <pipeline>} without a job name: says what is missing. */
    String push(String pipeline) {
        throw usage(PUSH_USAGE, "the job's name");
    }

    /** {@code jobs:pause} without a pipeline: says what is missing. */
    String pause() {
        throw usage("pause <pipeline>", "the pipeline");
    }

    /** {@code jobs:resume} without a pipeline: says what is missing. */
    String resume() {
        throw usage("resume <pipeline>", "the pipeline");
    }

    /** {@code jobs:destroy} without a pipeline: says what is missing. */
    String destroy() {
        throw usage("destroy <pipeline>", "the pipeline");
    }

    /** {@code jobs:stats <pipeline>}: the counters of one pipeline. */
    String stats(String pipeline) {
        PipelineStats s = jobs.stats(pipeline);
        return String.format("pipeline %s: pushed=%d push_errors=%d processed=%d failed=%d timed_out=%d "
                + "requeued=%d dead_lettered=%d no_handler=%d abandoned=%d in_flight=%d queued=%d delayed=%d "
                + "mean_run_us=%d", s.pipeline(), s.pushed(), s.pushErrors(), s.processed(), s.failed(),
                s.timedOut(), s.requeued(), s.deadLettered(), s.noHandler(), s.abandoned(), s.inFlight(),
                s.queued(), s.delayed(), s.meanRunMicros());
    }

    /** {@code jobs:push <pipeline> <name>}: pushes a job with an empty payload. */
    String push(String pipeline,
            String name) {
        return push(pipeline, name, "");
    }

    /**
     * {@code jobs:push <pipeline> <name> <payload> [key=value ...]}: pushes a job. Keys: {@code priority},
     * {@code delay} (seconds), {@code id}, {@code auto_ack} ({@code true} or {@code false}), {@code h.<header>} for
     * headers (repeatable), and {@code count}: push that many copies (each with its own id), many in flight, stopping
     * at the first refusal; the way for scripts to push in bulk without a Gogo loop.
     */
    String push(String pipeline,
            String name,
            String payload,
            String... options) {
        if (looksLikeAnOption(payload)) {
            // 'push default log priority=1' means an option, never a payload that happens to contain '='
            String[] all = new String[options.length + 1];
            all[0] = payload;
            System.arraycopy(options, 0, all, 1, options.length);
            return push(pipeline, name, "", all);
        }
        Message.Builder builder = Message.builder(name).pipeline(pipeline)
                .payload(payload.getBytes(StandardCharsets.UTF_8));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        long count = 1;
        boolean idGiven = false;
        for (String option : options) {
            String[] kv = keyValue(option);
            switch (kv[0]) {
            case "priority":
                builder.priority(number(kv, 0, Long.MAX_VALUE));
                break;
            case "delay":
                builder.delay((int) number(kv, 0, Integer.MAX_VALUE));
                break;
            case "id":
                builder.id(kv[1]);
                idGiven = true;
                break;
            case "auto_ack":
                builder.autoAck(bool(kv));
                break;
            case "count":
                count = number(kv, 1, Integer.MAX_VALUE);
                break;
            case "payload":
                builder.payload(kv[1].getBytes(StandardCharsets.UTF_8));
                break;
            default:
                if (!kv[0].startsWith("h.") || kv[0].length() == 2) {
                    throw new JobsException(JobsException.Kind.BAD_INPUT, "push: unknown option '" + kv[0]
                            + "' (use priority, delay, id, auto_ack, count, payload or h.<header>; a payload "
                            + "with '=' in it goes as payload=<text>)");
                }
                headers.computeIfAbsent(kv[0].substring(2), k -> new ArrayList<>()).add(kv[1]);
            }
        }
        if (count > 1 && idGiven) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "push: 'id' and 'count' exclude each other "
                    + "(every copy gets its own id)");
        }
        Message message = builder.headers(headers).build();
        if (count == 1) {
            jobs.push(message);
            return "pushed " + message.id() + " to " + pipeline;
        }
        return BulkPush.run(jobs, message, count);
    }

    /** {@code jobs:pause <pipeline>} */
    String pause(String pipeline) {
        jobs.pause(pipeline);
        return "paused " + pipeline;
    }

    /** {@code jobs:resume <pipeline>} */
    String resume(String pipeline) {
        jobs.resume(pipeline);
        return "resumed " + pipeline;
    }

    /** {@code jobs:declare name=<n> driver=<d> [key=value ...]} */
    String declare(String... options) {
        if (options.length == 0) {
            throw usage(DECLARE_USAGE, "the pipeline's options");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String option : options) {
            String[] kv = keyValue(option);
            map.put(kv[0], kv[1]);
        }
        jobs.declare(map);
        return "declared " + map.get(Jobs.OPTION_NAME);
    }

    /** {@code jobs:destroy <pipeline>} */
    String destroy(String pipeline) {
        jobs.destroy(pipeline);
        return "destroyed " + pipeline;
    }

    static final String DECLARE_USAGE = "declare name=<name> driver=<driver> [key=value...]";
    static final String PUSH_OPTIONS = "options as key=value: priority=N (lower first; 0: the pipeline's), "
            + "delay=seconds (0 to 2147483647), id=ID, auto_ack=true|false, count=N (N copies, each with its own id), "
            + "payload=text, h.<header>=value (repeatable)";
    static final String PUSH_USAGE = "push <pipeline> <name> [payload] [priority=N] [delay=seconds] [id=ID] "
            + "[auto_ack=true|false] [count=N] [payload=text] [h.<header>=value...]";

    /** A word of the form {@code key=value} whose key is a word: an option, or a mistyped one, not a payload. */
    private static boolean looksLikeAnOption(String word) {
        return word.matches("[A-Za-z_][A-Za-z0-9_.]*=.*");
    }

    private static JobsException usage(String usage, String missing) {
        return new JobsException(JobsException.Kind.BAD_INPUT, "missing " + missing + "; usage: " + usage);
    }

    private static boolean bool(String[] kv) {
        switch (kv[1].trim().toLowerCase(java.util.Locale.ROOT)) {
        case "true":
            return true;
        case "false":
            return false;
        default:
            throw new JobsException(JobsException.Kind.BAD_INPUT, "push: option '" + kv[0]
                    + "' must be true or false, got '" + kv[1] + "'");
        }
    }

    private static String[] keyValue(String option) {
        int eq = option.indexOf('=');
        if (eq <= 0) {
            throw new JobsException("option '" + option + "' must be key=value");
        }
        return new String[] { option.substring(0, eq).trim(), option.substring(eq + 1).trim() };
    }

    private static long number(String[] kv, long min, long max) {
        long value;
        try {
            value = Long.parseLong(kv[1].trim());
        } catch (NumberFormatException e) {
            value = min - 1;
        }
        if (value < min || value > max) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "option '" + kv[0] + "' must be an integer from "
                    + min + " to " + max + ", got '" + kv[1] + "'");
        }
        return value;
    }

    /** Renders states as an aligned text table. */
    static final class StatTable {
        private static final String[] HEADER = { "PIPELINE", "DRIVER", "QUEUE", "ACTIVE", "DELAYED", "RESERVED",
                "READY", "PRIORITY", "ERROR" };

        private StatTable() {
        }

        /** Wider names and queues are cut (with an ellipsis), so that one long name cannot widen every row. */
        static final int MAX_COLUMN = 40;

        static String render(List<State> states) {
            List<String[]> rows = new ArrayList<>();
            rows.add(HEADER);
            for (State s : states) {
                rows.add(new String[] { cut(s.pipeline()), cut(s.driver()), cut(s.queue()), Long.toString(s.active()),
                        Long.toString(s.delayed()), Long.toString(s.reserved()), Boolean.toString(s.ready()),
                        Long.toString(s.priority()), s.errorMessage() });
            }
            int[] widths = new int[HEADER.length];
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i] == null ? 0 : row[i].length());
                }
            }
            StringBuilder out = new StringBuilder();
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    line.append(String.format("%-" + (widths[i] + 2) + "s", row[i] == null ? "" : row[i]));
                }
                out.append(line.toString().stripTrailing()).append(System.lineSeparator());
            }
            return out.toString().stripTrailing();
        }

        private static String cut(String value) {
            return value == null || value.length() <= MAX_COLUMN ? value
                    : value.substring(0, MAX_COLUMN - 1) + "\u2026";
        }
    }
}
