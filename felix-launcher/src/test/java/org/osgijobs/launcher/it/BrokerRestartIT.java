package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgijobs.testing.Ledger;
import org.osgijobs.testing.Poll;
import org.osgijobs.testing.RabbitMqBroker;

/**
 * Restarting RabbitMQ under a running distribution that pushes and consumes a durable queue loses no job whose
 * push was confirmed, and the pushes made while the broker is away fail with a clear error within the runtime's
 * {@code timeout} instead of hanging. The only test that restarts the broker; it leaves it running, pass or fail.
 */
public class BrokerRestartIT {
    private static final int TIMEOUT_SECONDS = 3;
    /** What a refused push may take beyond the timeout: scheduling on a busy machine, the script's bookkeeping. */
    private static final long REFUSAL_SLACK_MILLIS = 2000;
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Pattern CONFIRMED = Pattern.compile("(?m)^pushed (r-\\d+) to steady$");
    private static final Pattern REFUSED = Pattern
            .compile("(?m)^refused (r-\\d+) from (\\d+) to (\\d+): (.*)$");

    @Rule
    public TemporaryFolder folder = new TemporaryFolder(Distribution.runsFolder());
    @Rule
    public final BrokerQueue brokerQueue = new BrokerQueue("jobs-launcher-it-restart");
    private final String queue = brokerQueue.name();


    /** One refused push as the script reported it. */
    private record Refusal(String id, long millis, String error) {
    }

    @Test
    public void aBrokerRestartLosesNoConfirmedJobAndPushesDuringItFailWithinTheTimeout() throws Exception {
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        dist.deployOptional("driver-amqp-");
        Files.writeString(dist.conf("jobs.pipeline-steady.cfg"), "driver=amqp\nqueue=" + queue + "\nrouting_key="
                + queue + "\ndurable=true\nprefetch=10\n");
        Files.writeString(dist.conf("jobs.cfg"), "num_workers=2\ntimeout=" + TIMEOUT_SECONDS + "\n");
        // pushes one job every 20 ms until the file 'stop-pushing' appears, printing each outcome on its own line
        // (with the clock around a refused push: Gogo's %() arithmetic does not see the closure's variables)
        Path script = dist.script("steady.gosh",
                "launcher:await steady consuming 60",
                "clock = ((\"\" getClass) forName java.lang.System); thread = ((\"\" getClass) forName "
                        + "java.lang.Thread); i = 0; echo",
                "while { not { (new java.io.File stop-pushing) exists } } {",
                "  i = %(i + 1)",
                "  start = ($clock currentTimeMillis)",
                "  try { echo (push steady log steady id=r-$i) } {",
                "    end = ($clock currentTimeMillis)",
                "    echo \"refused r-$i from $start to $end: $exception\"",
                "  }",
                "  $thread sleep 20",
                "}",
                "echo \"stopped pushing\"",
                "launcher:await gate-end present 90");
        try (Run run = dist.start("--script", script.toString())) {
            try {
                run.awaitStdout("\npushed r-100 to steady", 1, STEP);
                long stopping = System.nanoTime();
                RabbitMq.stopApp();
                int confirmedAtStop = confirmed(run).size();
                // the outage lasts until at least one push has run into the timeout
                run.awaitStdout("\nrefused r-", 1, Duration.ofSeconds(TIMEOUT_SECONDS + 30));
                long starting = System.nanoTime();
                RabbitMq.startAppAndAwaitPort(STEP);
                int confirmedAtRestart = confirmed(run).size();
                System.out.printf("broker restart: stop_app after %d confirmed pushes; start_app %d ms later, port "
                        + "open after %d ms more; %d confirmed pushes by then%n", confirmedAtStop,
                        (starting - stopping) / 1_000_000, (System.nanoTime() - starting) / 1_000_000,
                        confirmedAtRestart);
                // pushes are confirmed again: the runtime reconnected by itself
                Poll.until("100 pushes confirmed after the broker came back", STEP, POLL,
                        () -> run.alive() && confirmed(run).size() >= confirmedAtRestart + 100,
                        () -> tail(run.outputs()));
            } finally {
                RabbitMq.startAppAndAwaitPort(STEP);
            }
            Files.writeString(dist.home().resolve("stop-pushing"), "");
            run.awaitStdout("\nstopped pushing", 1, Duration.ofSeconds(TIMEOUT_SECONDS + 30));

            String out = run.stdout();
            Set<String> confirmed = confirmed(run);
            List<Refusal> refusals = refusals(out);
            Poll.until("every confirmed job run", STEP, POLL, () -> {
                Map<String, Integer> ran = HandledJobs.logged(run.log(), "steady", "r-");
                return ran.keySet().containsAll(confirmed);
            }, () -> "not run: " + ledger(confirmed, refusals, HandledJobs.logged(run.log(), "steady", "r-")).lost()
                    + "\n" + tail(run.outputs()));
            Poll.until("queue " + queue + " settled", STEP, Duration.ofSeconds(1),
                    () -> RabbitMqBroker.queueCounts(queue).map(RabbitMqBroker.QueueCounts::settled).orElse(false),
                    () -> "broker: " + RabbitMqBroker.queueCounts(queue) + "\n" + tail(run.outputs()));
            Map<String, Integer> ran = HandledJobs.logged(run.log(), "steady", "r-");
            Ledger ledger = ledger(confirmed, refusals, ran);
            long refusedButRun = refusals.stream().filter(r -> ran.containsKey(r.id())).count();
            long slowest = refusals.stream().mapToLong(Refusal::millis).max().orElse(0);
            System.out.printf("broker restart: %d pushes confirmed, %d refused (slowest refusal %d ms, timeout %d s; "
                    + "%d of them stored and run anyway), %d jobs run %d times, %d duplicate runs%n"
                    + "%s%n"
                    + "broker restart: refusals: %s%n", confirmed.size(), refusals.size(), slowest, TIMEOUT_SECONDS,
                    refusedButRun, ran.size(), HandledJobs.runs(ran), ledger.duplicates(), ledger.summary(),
                    refusals.stream().map(r -> r.id() + " " + r.millis() + " ms: " + r.error()).distinct()
                            .toList());

            ledger.assertNoneLost();
            // the one producer pushes one job at a time, and the pipeline has prefetch=10
            ledger.assertDuplicatesAtMost(10 + 1, "stop_app closes the runtime's connection, so the broker "
                    + "redelivers what the runtime ran and had not acknowledged yet (at most prefetch=10), and the "
                    + "one push whose confirmation the outage lost may be published again");
            assertFalse("no push was refused: the outage was not seen", refusals.isEmpty());
            for (Refusal refusal : refusals) {
                assertTrue(refusal + ": longer than the timeout of " + TIMEOUT_SECONDS + " s",
                        refusal.millis() <= TIMEOUT_SECONDS * 1000L + REFUSAL_SLACK_MILLIS);
                assertTrue(refusal + ": the error does not name the pipeline and say the job was not stored",
                        refusal.error().matches(".*JobsException: pipeline 'steady'.* was not (stored|published).*"));
                assertFalse(refusal + ": the error shows the credentials", refusal.error().contains("guest"));
            }
            assertEquals("confirmed and refused pushes overlap", 0,
                    refusals.stream().filter(r -> confirmed.contains(r.id())).count());

            Files.writeString(dist.conf("jobs.pipeline-gate-end.cfg"), "driver=memory\n");
            assertEquals(tail(run.outputs()), 0, run.awaitExit(STEP));
        }
    }

    private static Set<String> confirmed(Run run) throws Exception {
        Set<String> ids = new LinkedHashSet<>();
        Matcher m = CONFIRMED.matcher(run.stdout());
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static List<Refusal> refusals(String out) {
        List<Refusal> refusals = new ArrayList<>();
        Matcher m = REFUSED.matcher(out);
        while (m.find()) {
            refusals.add(new Refusal(m.group(1), Long.parseLong(m.group(3)) - Long.parseLong(m.group(2)), m.group(4)));
        }
        return refusals;
    }

    /**
     * @return the jobs' ledger: the confirmed pushes accepted, the refused ones refused, and the runs the log
     *         shows (a refused push may have been stored and run: the ledger counts that run, not as lost)
     */
    private static Ledger ledger(Set<String> confirmed, List<Refusal> refusals, Map<String, Integer> ran) {
        Ledger ledger = new Ledger("broker restart");
        confirmed.forEach(ledger::accepted);
        refusals.forEach(r -> ledger.refused(r.id(), r.error()));
        ran.forEach(ledger::ran);
        return ledger;
    }

    private static String tail(String text) {
        int keep = 6000;
        return text.length() <= keep ? text : "..." + text.substring(text.length() - keep);
    }
}
