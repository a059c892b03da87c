package org.osgijobs.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.Assume;
import org.junit.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

/**
 * Runs every scenario once, at a thousandth of its size, on the packaged bundles in a real Felix framework: the
 * harness works end to end (bundles resolve, pipelines are declared, every job is handled and acknowledged, the
 * checks pass, the report is written). It asserts no figure: benchmarks are not tests.
 */
public class BenchmarksIT {
    private static final double TINY = 0.001;

    private final BenchSettings settings = new BenchSettings(1, 0, TINY,
            Path.of(System.getProperty("bench.target", "target")).toAbsolutePath(), CommandLine.DEFAULT_AMQP);

    @Test
    public void memoryScenariosRunOnTheRealBundles() throws Exception {
        List<Result> results = new ArrayList<>();
        try (Progress progress = new Progress(System.err, false)) {
            for (String name : List.of("memory-noop", "memory-mixed", "memory-footprint", "memory-workers")) {
                Scenario scenario = Scenarios.select(List.of(name)).get(0);
                Result result = scenario.run(settings, progress);
                assertEquals(result.notes(), "ok", result.status());
                assertTrue(result.product().jobsPerS() > 0);
                assertTrue(result.baseline().jobsPerS() > 0);
                results.add(result);
            }
        }
        assertNotNull("latency measured", results.get(0).product().p50Us());
        assertNotNull("latency measured", results.get(1).baseline().p99Us());
        assertNotNull("footprint measured", results.get(2).product().bytesPerJob());

        Path json = settings.targetDir().resolve("it-results.json");
        Report.writeJson(results, json);
        JsonArray rows = JsonParser.parseString(Files.readString(json)).getAsJsonArray();
        assertEquals(4, rows.size());
        assertTrue(rows.get(2).getAsJsonObject().has("bytes_per_job"));
    }

    @Test
    public void latencyScenariosRunAtTheirRatesWithTheirTails() throws Exception {
        try (Progress progress = new Progress(System.err, false)) {
            List<Scenario> latency = Scenarios.select(List.of("memory-latency"));
            assertEquals(List.of("memory-latency-10k", "memory-latency-100k", "memory-latency-50pct"),
                    latency.stream().map(Scenario::name).toList());
            for (Scenario scenario : latency) {
                Result result = scenario.run(settings, progress);
                assertEquals(result.notes(), "ok", result.status());
                assertNotNull(result.product().p99Us());
                assertNotNull(result.baseline().p99Us());
                assertTrue(result.extras().get("max_us") >= result.extras().get("p999_us"));
                assertTrue(result.extras().containsKey("baseline_p999_us"));
                assertTrue(result.extras().get("rate_per_s") > 0);
                assertNotNull("a latency target is judged", result.targetMet());
            }
        }
    }

    @Test
    public void jobRunrPeerRunsBesideTheMemoryPipeline() throws Exception {
        try (Progress progress = new Progress(System.err, false)) {
            Result result = Scenarios.select(List.of("peer-jobrunr")).get(0).run(settings, progress);

            assertEquals(result.notes(), "ok", result.status());
            assertTrue(result.product().jobsPerS() > 0);
            assertTrue("JobRunr at its default poll interval", result.baseline().jobsPerS() > 0);
            assertTrue("JobRunr at its smallest poll interval", result.extras().get("peer_smallest_poll_jobs_per_s") > 0);
        }
    }

    @Test
    public void localScenariosRunOnTheRealBundles() throws Exception {
        try (Progress progress = new Progress(System.err, false)) {
            List<Scenario> local = Scenarios.select(List.of("local"));
            assertEquals(List.of("local-always", "local-batch", "local-none"),
                    local.stream().map(Scenario::name).toList());
            for (Scenario scenario : local) {
                Result result = scenario.run(settings, progress);
                assertEquals(result.notes(), "ok", result.status());
                assertTrue(result.product().jobsPerS() > 0);
                assertTrue(result.baseline().jobsPerS() > 0);
                assertTrue("bytes on disk measured", result.product().bytesPerJob() > 0);
                assertTrue("the baseline wrote its records", result.baseline().bytesPerJob() > 0);
            }
        }
    }

    @Test
    public void amqpScenarioRunsAgainstTheBroker() throws Exception {
        String unreachable = new Broker(settings.amqpUri()).unreachable();
        if (unreachable != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(unreachable + " (CI=true: the broker must run)");
            }
            System.err.println("\n*** SKIPPING the amqp benchmark check: " + unreachable + " ***\n");
            Assume.assumeTrue(unreachable, false);
        }
        try (Progress progress = new Progress(System.err, false)) {
            Result result = Scenarios.select(List.of("amqp")).get(0).run(settings, progress);

            assertEquals(result.notes(), "ok", result.status());
            assertTrue(result.product().jobsPerS() > 0);
            assertTrue(result.baseline().jobsPerS() > 0);
            assertNotNull(result.product().p99Us());
            assertTrue("the wire=compact pipeline measured", result.extras().get("compact_jobs_per_s") > 0);
            assertTrue(result.extras().get("compact_headers_baseline_jobs_per_s") > 0);
        }
    }

    @Test
    public void pipelinesScenariosCountThreadsConnectionsAndHeap() throws Exception {
        try (Progress progress = new Progress(System.err, false)) {
            assertEquals(List.of("pipelines-memory-1", "pipelines-memory-10", "pipelines-memory-100",
                    "pipelines-amqp-1", "pipelines-amqp-10", "pipelines-amqp-100"),
                    Scenarios.select(List.of("pipelines")).stream().map(Scenario::name).toList());
            Result memory = Scenarios.select(List.of("pipelines-memory-10")).get(0).run(settings, progress);
            assertEquals(memory.notes(), "ok", memory.status());
            assertTrue(memory.product().jobsPerS() > 0);
            assertTrue(memory.extras().containsKey("threads"));
            assertEquals(0.0, memory.extras().get("connections"), 0.0);
            assertTrue(memory.extras().get("heap_bytes_per_pipeline") != null);
            Result amqp = Scenarios.select(List.of("pipelines-amqp-10")).get(0).run(settings, progress);
            if ("skipped".equals(amqp.status())) {
                Assume.assumeTrue(amqp.notes(), !"true".equals(System.getenv("CI")));
                return;
            }
            assertEquals(amqp.notes(), "ok", amqp.status());
            assertEquals("the 11 pipelines share one connection", 1.0, amqp.extras().get("connections"), 0.0);
            assertEquals("one thread of its own per pipeline", 1.0, amqp.extras().get("threads_per_pipeline"), 0.0);
        }
    }

    @Test
    public void jdbcScenarioRunsAgainstPostgres() throws Exception {
        try (Progress progress = new Progress(System.err, false)) {
            Result result = Scenarios.select(List.of("jdbc")).get(0).run(settings, progress);
            if ("skipped".equals(result.status())) {
                if ("true".equals(System.getenv("CI"))) {
                    fail(result.notes() + " (CI=true: PostgreSQL must run)");
                }
                System.err.println("\n*** SKIPPING the jdbc benchmark check: " + result.notes() + " ***\n");
                Assume.assumeTrue(result.notes(), false);
            }

            assertEquals(result.notes(), "ok", result.status());
            assertTrue(result.product().jobsPerS() > 0);
            assertTrue(result.baseline().jobsPerS() > 0);
            assertTrue("db-scheduler measured: " + result.notes(), result.notes().contains("db-scheduler (2 threads"));
        }
    }

    /**
     * The scenarios of the other drivers, each against its server (skipped locally without it). Not the http one:
     * under failsafe's class path its bare servlet is never served (404 until the timeout), while from the runner's
     * jar (./bench.sh http) it is; not understood yet, so it stays a hand-run scenario.
     */
    @Test
    public void theOtherDriversAndHttpScenariosRunAgainstTheirServers() throws Exception {
        try (Progress progress = new Progress(System.err, false)) {
            for (String name : List.of("nats", "kafka", "sqs", "beanstalk")) {
                Result result = Scenarios.select(List.of(name)).get(0).run(settings, progress);
                if ("skipped".equals(result.status())) {
                    if ("true".equals(System.getenv("CI"))) {
                        fail(name + ": " + result.notes() + " (CI=true: its server must run)");
                    }
                    System.err.println("\n*** SKIPPING the " + name + " benchmark check: " + result.notes() + " ***\n");
                    continue;
                }
                assertEquals(name + ": " + result.notes(), "ok", result.status());
                assertTrue(name, result.product().jobsPerS() > 0);
                assertTrue(name, result.baseline().jobsPerS() > 0);
            }
        }
    }

    /** The cold-start rows start the distribution the reactor built (felix-launcher comes before this module). */
    @Test
    public void coldStartRowsTimeTheDistributionsStarts() throws Exception {
        try (Progress progress = new Progress(System.err, false)) {
            List<Scenario> coldStart = Scenarios.select(List.of("cold-start"));
            assertEquals(List.of("cold-start-first", "cold-start-later", "cold-start-cds"),
                    coldStart.stream().map(Scenario::name).toList());
            for (Scenario scenario : coldStart) {
                Result result = scenario.run(settings, progress);
                assertEquals(result.notes(), "ok", result.status());
                assertTrue(result.extras().get("ready_ms") > 0);
                assertTrue(result.extras().get("ready_ms_max") >= result.extras().get("ready_ms_min"));
            }
        }
    }
}
