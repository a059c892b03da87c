package org.osgijobs.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.List;

import org.junit.Test;

public class CommandLineTest {
    private static final Path TARGET = Path.of("target");

    @Test
    public void withoutArgumentsEveryScenarioRunsWithTheDocumentedSettings() {
        CommandLine command = CommandLine.parse(new String[0], TARGET);

        assertEquals(CommandLine.Action.RUN, command.action());
        assertEquals(List.of("memory-noop", "memory-mixed", "memory-latency-10k", "memory-latency-100k",
                "memory-latency-50pct", "amqp", "nats", "kafka", "sqs", "memory-footprint", "memory-workers",
                "local-always", "local-batch", "local-none", "jdbc", "beanstalk", "http", "pipelines-memory-1",
                "pipelines-memory-10", "pipelines-memory-100", "pipelines-amqp-1", "pipelines-amqp-10",
                "pipelines-amqp-100", "peer-jobrunr", "cold-start-first", "cold-start-later", "cold-start-cds"),
                command.scenarios().stream().map(Scenario::name).toList());
        assertEquals(5, command.settings().rounds());
        assertEquals(2, command.settings().warmups());
        assertEquals(1_000_000, command.settings().jobs(1_000_000));
        assertEquals(CommandLine.DEFAULT_AMQP, command.settings().amqpUri());
        assertEquals(TARGET.resolve("results.json"), command.settings().resultsFile());
    }

    @Test
    public void namedScenariosRunInTheGivenOrderWithTheGivenOptions() {
        CommandLine command = CommandLine.parse(new String[] { "--rounds=3", "memory-workers", "--warmup=0",
            "memory-noop", "--scale=0.01", "--amqp=amqp://u:p@host:5672/v" }, TARGET);

        assertEquals(List.of("memory-workers", "memory-noop"),
                command.scenarios().stream().map(Scenario::name).toList());
        assertEquals(3, command.settings().rounds());
        assertEquals(0, command.settings().warmups());
        assertEquals(10_000, command.settings().jobs(1_000_000));
        assertEquals(1, command.settings().jobs(10));
        assertEquals("amqp://u:p@host:5672/v", command.settings().amqpUri());
    }

    @Test
    public void aGroupNameSelectsTheScenariosOfTheGroup() {
        CommandLine command = CommandLine.parse(new String[] { "local", "memory-noop" }, TARGET);

        assertEquals(List.of("local-always", "local-batch", "local-none", "memory-noop"),
                command.scenarios().stream().map(Scenario::name).toList());
        assertRefused("unknown scenario 'loc'", "loc");
    }

    @Test
    public void listAndHelpRunNothing() {
        assertEquals(CommandLine.Action.LIST, CommandLine.parse(new String[] { "--list" }, TARGET).action());
        assertEquals(CommandLine.Action.HELP, CommandLine.parse(new String[] { "--help" }, TARGET).action());
    }

    @Test
    public void badArgumentsAreNamed() {
        assertRefused("unknown scenario 'nope'", "nope");
        assertRefused("unknown option --fast", "--fast");
        assertRefused("--rounds must be at least 1, got 0", "--rounds=0");
        assertRefused("--warmup must be a whole number, got 'x'", "--warmup=x");
        assertRefused("--scale must be above 0, got -1", "--scale=-1");
        assertRefused("--scale must be a number, got 'big'", "--scale=big");
    }

    private static void assertRefused(String message, String... args) {
        try {
            CommandLine.parse(args, TARGET);
            fail("accepted " + List.of(args));
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith(message));
        }
    }
}
