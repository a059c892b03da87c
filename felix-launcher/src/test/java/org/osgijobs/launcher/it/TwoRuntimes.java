package org.osgijobs.launcher.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgijobs.testing.Ledger;

/**
 * What the tests of two runtimes on one pipeline {@code shared} have in common: runtime b's script pushes a round
 * of jobs ({@code one-N} logged, {@code two-N} slept) each time the test opens a gate, and the rounds are counted
 * from both runtimes' logs against the pushes the script saw confirmed.
 */
final class TwoRuntimes {

    private TwoRuntimes() {
    }

    /** Adds a pipeline file to the distribution's conf/: the script's 'launcher:await NAME present' goes on. */
    static void openGate(Distribution dist, String name) throws Exception {
        Path draft = dist.conf(name + ".draft");
        Files.writeString(draft, "driver=memory\n");
        Files.move(draft, dist.conf("jobs.pipeline-" + name + ".cfg"), StandardCopyOption.ATOMIC_MOVE);
    }

    /** @return the jobs of round one ({@code one-N}, run by the log handler) that either runtime ran */
    static Map<String, Integer> firstRound(Run a, Run b) throws Exception {
        return HandledJobs.merged(HandledJobs.logged(a.log(), "shared", "one-"),
                HandledJobs.logged(b.log(), "shared", "one-"));
    }

    /** @return the jobs of round two ({@code two-N}, run by the sleep handler) that either runtime ran */
    static Map<String, Integer> secondRound(Run a, Run b) throws Exception {
        return HandledJobs.merged(HandledJobs.slept(a.log(), "two-"), HandledJobs.slept(b.log(), "two-"));
    }

    /**
     * @return a round's ledger: the pushes the producer's script saw confirmed ({@code pushed ID to shared}) accepted,
     *         and the runs of both runtimes
     */
    static Ledger ledger(String name, String producerStdout, String idPrefix, Map<String, Integer> ran) {
        Ledger ledger = new Ledger(name);
        Matcher confirmed = Pattern.compile("(?m)^pushed (" + Pattern.quote(idPrefix) + "\\d+) to shared$")
                .matcher(producerStdout);
        while (confirmed.find()) {
            ledger.accepted(confirmed.group(1));
        }
        ran.forEach(ledger::ran);
        return ledger;
    }

    /** @return true, or throws naming both outputs when a runtime exited early */
    static boolean alive(Run a, Run b) throws Exception {
        if (!a.alive() || !b.alive()) {
            throw new AssertionError("a runtime exited early" + both(a, b));
        }
        return true;
    }

    /** @return the end of both runtimes' outputs (their logs hold a line per job: the whole would be too long) */
    static String both(Run a, Run b) throws Exception {
        return "\n--- runtime a ---\n" + tail(a.outputs()) + "\n--- runtime b ---\n" + tail(b.outputs());
    }

    static String tail(String text) {
        int keep = 6000;
        return text.length() <= keep ? text : "..." + text.substring(text.length() - keep);
    }
}
