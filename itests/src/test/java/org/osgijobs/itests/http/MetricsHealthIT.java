package org.osgijobs.itests.http;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;
import org.osgijobs.itests.RecordingHandler;
import org.osgijobs.testing.PrometheusTextParser;

/**
 * {@code /metrics} read by a strict Prometheus text-format parser, its values equal to the runtime's {@code stats},
 * the histograms counting every push and run; {@code /health/live} and {@code /health/ready} naming a broken
 * pipeline.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MetricsHealthIT extends HttpItestSupport {

    @Test
    public void metricsMatchTheRuntimesCounters() throws Exception {
        RecordingHandler handler = new RecordingHandler(job -> {
            if (job.name().equals("fails")) {
                throw new IllegalStateException("planned failure");
            }
        });
        registerHandler(handler, "works", "fails");
        declare(memoryPipeline("metered", "max_attempts", "1"));
        jobs().resume("metered");
        for (int i = 0; i < 20; i++) {
            assertEquals(202, post("/jobs/pipelines/metered/jobs", "{\"name\":\"works\"}").status);
        }
        for (int i = 0; i < 5; i++) {
            jobs().push(Message.builder("fails").pipeline("metered").build());
        }
        awaitStats("metered", "all settled", s -> s.processed() == 20 && s.failed() == 5 && s.inFlight() == 0);
        post("/jobs/pipelines/metered/jobs", "{\"name\":7}").error(400);

        Answer scrape = get("/metrics");
        assertEquals(200, scrape.status);
        assertTrue(scrape.header("Content-Type"), scrape.header("Content-Type").startsWith("text/plain; version=0.0.4"));
        Map<String, Double> m = PrometheusTextParser.parse(scrape.text);
        PipelineStats stats = jobs().stats("metered");
        String l = "{driver=memory,pipeline=metered}";
        assertEquals(stats.pushed(), m.get("jobs_pushed_total" + l), 0);
        assertEquals(25, stats.pushed());
        assertEquals(stats.pushErrors(), m.get("jobs_push_errors_total" + l), 0);
        assertEquals(stats.processed(), m.get("jobs_processed_total" + l), 0);
        assertEquals(stats.failed(), m.get("jobs_failed_total" + l), 0);
        assertEquals(stats.timedOut(), m.get("jobs_timed_out_total" + l), 0);
        assertEquals(stats.requeued(), m.get("jobs_requeued_total" + l), 0);
        assertEquals(stats.deadLettered(), m.get("jobs_dead_lettered_total" + l), 0);
        assertEquals(stats.noHandler(), m.get("jobs_no_handler_total" + l), 0);
        assertEquals(stats.queued(), m.get("jobs_queued" + l), 0);
        assertEquals(stats.delayed(), m.get("jobs_delayed" + l), 0);
        assertEquals(stats.inFlight(), m.get("jobs_in_flight" + l), 0);
        assertEquals(1, m.get("jobs_ready" + l), 0);
        assertEquals("every push timed", 25, m.get("jobs_push_latency_seconds_count" + l), 0);
        assertEquals("every run timed", 25, m.get("jobs_run_duration_seconds_count" + l), 0);
        assertTrue(m.get("jobs_push_latency_seconds_sum" + l) > 0);
        org.osgijobs.api.monitor.RuntimeGauges gauges = service(org.osgijobs.api.monitor.RuntimeGauges.class);
        assertEquals(gauges.workers(), m.get("jobs_workers_total{}"), 0);
        assertTrue(gauges.workers() >= 1);
        assertEquals(0, m.get("jobs_workers_busy{}"), 0);
        assertEquals(gauges.queueCapacity(), m.get("jobs_runtime_queue_capacity{}"), 0);
        assertEquals(0, m.get("jobs_runtime_queue_jobs{}"), 0);
        post("/metrics", "{}").error(405);
    }

    @Test
    public void readinessNamesABrokenPipelineAndLivenessDoesNotCare() throws Exception {
        Answer ready = get("/health/ready");
        assertEquals(ready.toString(), 200, ready.status);
        assertEquals("UP", ready.json().get("status").textValue());
        createPipelineConfig("orphan", Map.of("driver", "no-such-driver"));
        Answer down = awaitValue("readiness fails", () -> get("/health/ready"), a -> a.status == 503);
        JsonNode problem = down.json().get("problems").get(0);
        assertEquals("orphan", problem.get("pipeline").textValue());
        assertTrue(problem.toString(), problem.get("problem").textValue().contains("no-such-driver"));
        Answer live = get("/health/live");
        assertEquals(200, live.status);
        assertEquals("UP", live.json().get("status").textValue());
        get("/health/other").error(404);
    }
}
