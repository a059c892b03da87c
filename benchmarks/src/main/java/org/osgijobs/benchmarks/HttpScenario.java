package org.osgijobs.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.servlet.Servlet;

import org.HdrHistogram.Recorder;
import org.osgi.framework.Constants;
import org.osgijobs.api.Jobs;
import org.osgijobs.api.PipelineStats;

/**
 * Jobs pushed over HTTP: {@value #CLIENTS} client threads, each posting one job at a time over a kept-alive
 * connection, to {@code POST /jobs/pipelines/bench-http/jobs} (jobs-http on Felix HTTP's Jetty, a memory pipeline,
 * 2 workers, a no-op handler); a round ends when every job was answered 202 and handled. Baseline: a bare servlet on
 * the same HTTP service that parses the same JSON with Jackson and answers 202 ({@link BareServletBaseline}). The
 * latencies are those of the HTTP requests, on both sides.
 */
final class HttpScenario implements Scenario {
    static final String PIPELINE = "bench-http";
    static final String JOB = "bench.http";
    private static final int DOCUMENTED_JOBS = 100_000;
    private static final int CLIENTS = 8;
    private static final int WORKERS = 2;
    private static final double TARGET_RATIO = 0.7;
    private static final long ROUND_TIMEOUT_SECONDS = 300;
    private static final String BODY = "{\"name\":\"" + JOB + "\",\"payload\":\"" + "x".repeat(Payloads.SIZE) + "\"}";
    /** javax.servlet from the runner's class path, so that the baseline servlet and Jetty share its classes. */
    private static final String SERVLET_PACKAGES = "javax.servlet;version=3.1.0,javax.servlet.http;version=3.1.0,"
            + "javax.servlet.annotation;version=3.1.0,javax.servlet.descriptor;version=3.1.0";
    private static final String SERVLET_CONTRACT = "osgi.contract;osgi.contract=JavaServlet;version:Version=3.1;"
            + "uses:=\"javax.servlet,javax.servlet.http,javax.servlet.annotation,javax.servlet.descriptor\"";

    @Override
    public String name() {
        return "http";
    }

    @Override
    public String summary() {
        return "jobs pushed over HTTP (jobs-http on Felix HTTP/Jetty, " + CLIENTS + " keep-alive clients) into a"
                + " memory pipeline; baseline a bare servlet parsing the same JSON";
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        int jobs = settings.jobs(DOCUMENTED_JOBS);
        int port = freePort();
        progress.phase("starting the framework");
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name(),
                Map.of("jobs", Map.of("num_workers", WORKERS, "pipeline_size", 1_000_000)),
                List.of("driver-memory", "org.apache.felix.http.jetty", "jackson-annotations", "jackson-core",
                        "jackson-databind", "jobs-http"),
                List.of("memory"),
                Map.of(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, SERVLET_PACKAGES,
                        Constants.FRAMEWORK_SYSTEMCAPABILITIES_EXTRA, SERVLET_CONTRACT,
                        "org.osgi.service.http.port", Integer.toString(port),
                        "org.apache.felix.http.host", "127.0.0.1"))) {
            BenchHandler handler = new BenchHandler();
            framework.registerHandler(JOB, handler);
            framework.declare(Map.of(Jobs.OPTION_NAME, PIPELINE, Jobs.OPTION_DRIVER, "memory"));
            framework.jobs().resume(PIPELINE);
            framework.register(Servlet.class, new BareServletBaseline(), Map.of(
                    "osgi.http.whiteboard.servlet.pattern", "/bench-baseline",
                    "osgi.http.whiteboard.servlet.name", "bench-baseline"));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI api = URI.create("http://127.0.0.1:" + port + "/jobs/pipelines/" + PIPELINE + "/jobs");
            URI bare = URI.create("http://127.0.0.1:" + port + "/bench-baseline");
            awaitAnswer(client, api, 202);
            awaitAnswer(client, bare, 202);
            PipelineChecks.awaitSettled(framework.jobs(), PIPELINE, framework.jobs().stats(PIPELINE), 0);

            Rounds.Outcome outcome = Rounds.alternate(settings, progress, jobs,
                    "runtime", n -> runtimeRound(framework.jobs(), handler, client, api, n, progress),
                    "bare servlet", n -> post(client, bare, n, progress, null));
            double ratio = outcome.product().jobsPerS() / outcome.baseline().jobsPerS();
            String notes = String.format("%,d jobs/round, %d client threads with kept-alive connections (Java's"
                    + " HttpClient, HTTP/1.1), %d workers, %d-byte payloads in a JSON body; baseline p50 %s p99 %s us",
                    jobs, CLIENTS, WORKERS, Payloads.SIZE, Report.number(outcome.baseline().p50Us()),
                    Report.number(outcome.baseline().p99Us()));
            return Result.measured(name(), outcome.product(), outcome.baseline(), "ratio >= " + TARGET_RATIO,
                    ratio >= TARGET_RATIO, notes).withNote(outcome.spread("runtime", "bare servlet"));
        }
    }

    private static Measurement runtimeRound(Jobs runtime, BenchHandler handler, HttpClient client, URI api, int jobs,
            Progress progress) throws Exception {
        PipelineStats before = runtime.stats(PIPELINE);
        AtomicInteger handled = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(1);
        long[] lastHandled = new long[1];
        handler.use((payload, start) -> {
            if (handled.incrementAndGet() == jobs) {
                lastHandled[0] = System.nanoTime();
                all.countDown();
            }
        });
        Measurement m = post(client, api, jobs, progress, () -> {
            if (!all.await(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + handled.get() + " of " + jobs + " jobs were handled");
            }
            return lastHandled[0];
        });
        PipelineChecks.awaitSettled(runtime, PIPELINE, before, jobs);
        return m;
    }

    /** What ends a round after the last answer (the runtime's last handled job), as a nanoTime. */
    private interface End {
        long await() throws Exception;
    }

    /** Posts {@code jobs} bodies from the client threads; every answer must be 202. */
    private static Measurement post(HttpClient client, URI uri, int jobs, Progress progress, End end)
            throws Exception {
        Recorder latencies = new Recorder(3);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        progress.counting(answered::get, jobs);
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                done.add(clients.submit(() -> {
                    while (next.getAndIncrement() < jobs) {
                        long sent = System.nanoTime();
                        HttpResponse<Void> r = client.send(request, HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 202) {
                            throw new IllegalStateException(uri + " answered " + r.statusCode());
                        }
                        latencies.recordValue(System.nanoTime() - sent);
                        answered.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            clients.shutdownNow();
        }
        long last = System.nanoTime();
        if (end != null) {
            last = Math.max(last, end.await());
        }
        return Measurement.of(jobs, last - start, latencies.getIntervalHistogram());
    }

    private static void awaitAnswer(HttpClient client, URI uri, int status) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == status) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(uri + " did not answer " + status + " within 30 s");
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
