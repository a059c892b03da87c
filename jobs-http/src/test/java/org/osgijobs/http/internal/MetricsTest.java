package org.osgijobs.http.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Map;

import org.junit.Test;
import org.osgijobs.testing.PrometheusTextParser;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;

public class MetricsTest {

    private final FakeJobs jobs = new FakeJobs().with("default").with("we\"ird\\name");

    @Test
    public void theScrapeParsesAndMatchesTheRuntimesCounters() {
        Metrics metrics = new Metrics(jobs, new org.osgijobs.api.monitor.RuntimeGauges() {
            @Override
            public int workers() {
                return 4;
            }

            @Override
            public int busyWorkers() {
                return 3;
            }

            @Override
            public int queuedJobs() {
                return 12;
            }

            @Override
            public int queueCapacity() {
                return 100_000;
            }
        });
        for (int i = 0; i < 3; i++) {
            jobs.push(Message.builder("j").pipeline("default").build());
        }
        jobs.pipelines.put("default", jobs.pipelines.get("default").toBuilder().reserved(7).build());
        metrics.pushed("default", 300_000);      // 0.3 ms: the first bucket
        metrics.pushed("default", 2_000_000);    // 2 ms
        metrics.pushed("default", 60_000_000_000L); // a minute: only +Inf
        metrics.ran("default", "j", 1_500_000_000L, true);
        metrics.ran("gone", "j", 1, true);

        Map<String, Double> s = PrometheusTextParser.parse(metrics.scrape());

        String d = "{driver=memory,pipeline=default}";
        assertEquals(3.0, s.get("jobs_pushed_total" + d), 0);
        assertEquals(0.0, s.get("jobs_push_errors_total" + d), 0);
        assertEquals(7.0, s.get("jobs_reserved" + d), 0);
        assertEquals(1.0, s.get("jobs_ready" + d), 0);
        assertEquals("label values are escaped and read back: " + s.keySet(), 0.0,
                s.get("jobs_pushed_total{driver=memory,pipeline=we\"ird\\name}"), 0);
        assertEquals(1.0, s.get("jobs_push_latency_seconds_bucket{driver=memory,le=0.0005,pipeline=default}"), 0);
        assertEquals(1.0, s.get("jobs_push_latency_seconds_bucket{driver=memory,le=0.001,pipeline=default}"), 0);
        assertEquals(2.0, s.get("jobs_push_latency_seconds_bucket{driver=memory,le=0.0025,pipeline=default}"), 0);
        assertEquals(2.0, s.get("jobs_push_latency_seconds_bucket{driver=memory,le=10,pipeline=default}"), 0);
        assertEquals(3.0, s.get("jobs_push_latency_seconds_bucket{driver=memory,le=+Inf,pipeline=default}"), 0);
        assertEquals(3.0, s.get("jobs_push_latency_seconds_count" + d), 0);
        assertEquals(60.0023, s.get("jobs_push_latency_seconds_sum" + d), 1e-9);
        assertEquals(1.0, s.get("jobs_run_duration_seconds_bucket{driver=memory,le=2.5,pipeline=default}"), 0);
        assertEquals(0.0, s.get("jobs_run_duration_seconds_bucket{driver=memory,le=1,pipeline=default}"), 0);
        assertFalse("a pipeline that is gone has no series",
                s.keySet().stream().anyMatch(k -> k.contains("pipeline=gone")));
        assertEquals(2.0, s.get("jobs_pipelines{}"), 0);
        assertEquals(4.0, s.get("jobs_workers_total{}"), 0);
        assertEquals(3.0, s.get("jobs_workers_busy{}"), 0);
        assertEquals(12.0, s.get("jobs_runtime_queue_jobs{}"), 0);
        assertEquals(100_000.0, s.get("jobs_runtime_queue_capacity{}"), 0);
        assertEquals("without the runtime's gauges they are left out", null, PrometheusTextParser.parse(
                new Metrics(jobs, null).scrape()).get("jobs_workers_total{}"));
    }

    @Test
    public void theParserRefusesWhatPrometheusWould() {
        String[] bad = {
                "jobs_x 1\n",                                            // no TYPE
                "# TYPE a counter\nb 1\n",                               // not of the family
                "# TYPE a counter\na{l=\"v} 1\n",                        // unterminated
                "# TYPE a counter\na 1\na 2\n",                          // twice
                "# TYPE a counter\na one\n",                             // not a number
                "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n", // falling
                "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 3\n", // count != +Inf
                "# TYPE a counter\na 1",                                 // no final new line
        };
        for (String text : bad) {
            try {
                PrometheusTextParser.parse(text);
                fail("accepted: " + text);
            } catch (AssertionError expected) {
                assertTrue(expected.getMessage() != null);
            }
        }
    }

    @Test
    public void healthNamesWhatIsWrong() throws Exception {
        Health health = new Health(jobs, Json.mapper());
        assertEquals(200, health.ready().status());
        assertEquals(200, health.live().status());
        jobs.pipelines.put("broken", State.builder("broken").driver("(none)").build());
        jobs.pipelines.put("failing", State.builder("failing").driver("amqp").errorMessage("broker unreachable")
                .build());
        ApiResponse ready = health.ready();
        assertEquals(503, ready.status());
        var body = Json.mapper().readTree(ready.body());
        assertEquals("DOWN", body.get("status").textValue());
        assertEquals(2, body.get("problems").size());
        assertEquals("broken", body.get("problems").get(0).get("pipeline").textValue());
        assertTrue(body.get("problems").get(0).get("problem").textValue().contains("no driver"));
        assertEquals("broker unreachable", body.get("problems").get(1).get("problem").textValue());
    }
}
