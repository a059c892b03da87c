package org.osgijobs.http.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.PipelineAdmin;
import org.osgijobs.api.PipelineStats;
import org.osgijobs.api.State;
import org.osgijobs.api.monitor.JobsObserver;
import org.osgijobs.api.monitor.RuntimeGauges;

/**
 * The metrics: counters and gauges read from the runtime's {@code stat} and {@code stats} at each scrape, and the
 * push latency and run time histograms this observer records as the runtime reports pushes and runs. Every series
 * has the labels {@code pipeline} and {@code driver}. The RoadRunner metric each one corresponds to is in the
 * README.
 */
final class Metrics implements JobsObserver {

    /** A counter or gauge read from a pipeline's state and counters. */
    private record Series(String name, String type, String help, ToLongFunction<Row> value) {
    }

    private record Row(State state, PipelineStats stats) {
    }

    private static final List<Series> SERIES = List.of(
            new Series("jobs_pushed_total", "counter", "Jobs the driver stored.", r -> r.stats.pushed()),
            new Series("jobs_push_errors_total", "counter", "Pushes that failed.", r -> r.stats.pushErrors()),
            new Series("jobs_processed_total", "counter", "Jobs whose handler succeeded.", r -> r.stats.processed()),
            new Series("jobs_failed_total", "counter", "Runs that failed (thrown, rejected, timed out).",
                    r -> r.stats.failed()),
            new Series("jobs_timed_out_total", "counter", "Runs cancelled by job_timeout.", r -> r.stats.timedOut()),
            new Series("jobs_requeued_total", "counter", "Jobs put back (retries, requeues).",
                    r -> r.stats.requeued()),
            new Series("jobs_dead_lettered_total", "counter", "Jobs moved to the dead-letter pipeline.",
                    r -> r.stats.deadLettered()),
            new Series("jobs_no_handler_total", "counter", "Takes of a job no handler was registered for.",
                    r -> r.stats.noHandler()),
            new Series("jobs_abandoned_total", "counter", "Runs that ignored their cancellation and were abandoned.",
                    r -> r.stats.abandoned()),
            new Series("jobs_queued", "gauge", "Jobs ready to run, not yet taken.", r -> r.stats.queued()),
            new Series("jobs_delayed", "gauge", "Jobs waiting for their delay.", r -> r.stats.delayed()),
            new Series("jobs_in_flight", "gauge", "Jobs at a worker now (busy workers of the pipeline).",
                    r -> r.stats.inFlight()),
            new Series("jobs_reserved", "gauge", "Jobs taken from the broker and not yet settled (driver's count).",
                    r -> r.state.reserved()),
            new Series("jobs_ready", "gauge", "1 when the pipeline is consuming, else 0.",
                    r -> r.state.ready() ? 1 : 0),
            new Series("jobs_pipeline_errors", "gauge", "1 when the pipeline reports an error, else 0.",
                    r -> r.state.errorMessage().isEmpty() ? 0 : 1));

    private final PipelineAdmin admin;
    private final Map<String, Histogram> pushLatency = new ConcurrentHashMap<>();
    private final Map<String, Histogram> runTime = new ConcurrentHashMap<>();

    private final RuntimeGauges gauges;

    /** @param gauges the runtime's own gauges, or {@code null} when it registers none (then they are left out) */
    Metrics(PipelineAdmin admin, RuntimeGauges gauges) {
        this.admin = admin;
        this.gauges = gauges;
    }

    @Override
    public void pushed(String pipeline, long latencyNanos) {
        pushLatency.computeIfAbsent(pipeline, p -> new Histogram(Histogram.PUSH_BOUNDS)).observe(latencyNanos);
    }

    @Override
    public void ran(String pipeline, String jobName, long runNanos, boolean succeeded) {
        runTime.computeIfAbsent(pipeline, p -> new Histogram(Histogram.RUN_BOUNDS)).observe(runNanos);
    }

    String scrape() {
        Map<String, Row> rows = new LinkedHashMap<>();
        for (State state : admin.stat()) {
            try {
                rows.put(state.pipeline(), new Row(state, admin.stats(state.pipeline())));
            } catch (JobsException e) {
                // destroyed since stat(): gone
            }
        }
        // histograms of pipelines that are gone are dropped, so declared and destroyed pipelines do not pile up
        Set<String> names = rows.keySet();
        pushLatency.keySet().retainAll(names);
        runTime.keySet().retainAll(names);

        PrometheusText text = new PrometheusText();
        for (Series s : SERIES) {
            text.family(s.name, s.type, s.help);
            rows.values().forEach(r -> text.sample(s.name, labels(r.state), s.value.applyAsLong(r)));
        }
        histograms(text, rows, "jobs_push_latency_seconds",
                "Time from a push until the driver stored the job.", pushLatency);
        histograms(text, rows, "jobs_run_duration_seconds", "Time a handler ran a job.", runTime);
        if (gauges != null) {
            text.family("jobs_workers_total", "gauge", "Worker threads that run handlers (num_workers).");
            text.sample("jobs_workers_total", Map.of(), gauges.workers());
            text.family("jobs_workers_busy", "gauge", "Workers running a job now.");
            text.sample("jobs_workers_busy", Map.of(), gauges.busyWorkers());
            text.family("jobs_runtime_queue_jobs", "gauge", "Jobs in the runtime's shared queue, all pipelines.");
            text.sample("jobs_runtime_queue_jobs", Map.of(), gauges.queuedJobs());
            text.family("jobs_runtime_queue_capacity", "gauge", "Capacity of that queue (pipeline_size).");
            text.sample("jobs_runtime_queue_capacity", Map.of(), gauges.queueCapacity());
        }
        text.family("jobs_pipelines", "gauge", "Pipelines, configured and declared.");
        text.sample("jobs_pipelines", Map.of(), rows.size());
        return text.toString();
    }

    private static void histograms(PrometheusText text, Map<String, Row> rows, String name, String help,
            Map<String, Histogram> histograms) {
        text.family(name, "histogram", help);
        for (Map.Entry<String, Histogram> h : histograms.entrySet().stream()
                .sorted(Map.Entry.comparingByKey()).collect(Collectors.toList())) {
            Row row = rows.get(h.getKey());
            if (row != null) {
                text.histogram(name, labels(row.state), h.getValue().snapshot());
            }
        }
    }

    private static Map<String, String> labels(State state) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("pipeline", state.pipeline());
        labels.put("driver", state.driver());
        return labels;
    }
}
