package org.osgijobs.launcher.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * deploy/ is watched: dropping the AMQP driver in makes an AMQP pipeline consume from the real RabbitMQ,
 * replacing the jar updates the driver without losing the jobs the broker holds, and removing it leaves the
 * pipeline reporting its driver unavailable.
 */
public class DeployAmqpIT {
    private static final Duration STEP = Duration.ofSeconds(90);

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();
    @Rule
    public final BrokerQueue brokerQueue = new BrokerQueue("jobs-launcher-it");
    private final String queue = brokerQueue.name();


    @Test
    public void droppingReplacingAndRemovingTheAmqpDriver() throws Exception {
        Distribution dist = Distribution.copyTo(folder.getRoot().toPath());
        Files.writeString(dist.conf("jobs.pipeline-broker.cfg"),
                "driver=amqp\nqueue=" + queue + "\nrouting_key=" + queue + "\nprefetch=10\n");
        Path script = dist.script("amqp.gosh",
                "launcher:await broker failing 60",
                "jobs:stat broker",
                "launcher:await broker consuming 90",
                "jobs:push broker log \"through RabbitMQ\"",
                "launcher:await broker processed=1 60",
                "# held by the broker (delay queue) while the driver is replaced",
                "jobs:push broker log kept-1 delay=4",
                "jobs:push broker log kept-2 delay=4",
                "jobs:push broker log kept-3 delay=4",
                "launcher:await broker processed=4 120",
                "jobs:stats broker",
                "launcher:await broker failing 90",
                "jobs:stat broker");
        Path driver = dist.optional("driver-amqp-");
        Path deployed = dist.deploy().resolve(driver.getFileName());
        try (Run run = dist.start("--script", script.toString())) {
            // no AMQP driver yet: the pipeline exists and says so
            run.awaitStdout("> launcher:await broker consuming", 1, STEP);
            Files.copy(driver, deployed);

            run.awaitStdout("> launcher:await broker processed=4", 1, STEP);
            // a new build of the driver: same jar, newer time stamp, so FileInstall updates the bundle
            Path replacement = dist.home().resolve("driver-amqp-new.jar");
            Files.copy(driver, replacement);
            Files.setLastModifiedTime(replacement, FileTime.from(Instant.now().plusSeconds(5)));
            Files.move(replacement, deployed, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            run.awaitLog("driver amqp available", 2, STEP);

            run.awaitStdout("> launcher:await broker failing 90", 1, STEP);
            Files.delete(deployed);

            assertEquals(run.outputs(), 0, run.awaitExit(STEP));
            String out = run.stdout();
            String first = out.substring(out.indexOf("> jobs:stat broker"));
            assertTrue(out, first.contains("driver amqp unavailable"));
            assertTrue(out, out.contains("pipeline broker consuming: broker (amqp, consuming)"));
            assertTrue(out, Pattern.compile("pipeline broker: pushed=\\d+ push_errors=0 processed=4 ").matcher(out)
                    .find());
            String last = out.substring(out.lastIndexOf("> jobs:stat broker"));
            assertTrue(last, Pattern.compile("(?m)^broker +amqp .*driver amqp unavailable").matcher(last).find());

            String log = run.log();
            for (String payload : new String[] { "through RabbitMQ", "kept-1", "kept-2", "kept-3" }) {
                Pattern handled = Pattern.compile("(?m)^.*LogJobHandler - job log .* pipeline=broker .*payload='"
                        + payload + "'$");
                assertEquals(payload + "\n" + log, 1, handled.matcher(log).results().count());
            }
        }
    }
}
