package org.osgijobs.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;

/**
 * Scenario {@code jdbc}: a jdbc pipeline (driver-jdbc on PostgreSQL, its pgjdbc bundle reached through the OSGi
 * {@code DataSourceFactory}) with prefetch {@value #PREFETCH}, 2 workers and a no-op handler; one producer pushes
 * with {@link Jobs#pushAsync} keeping {@value #WINDOW} pushes in flight (the driver's writer batches what waits).
 * End to end: from the first push to the last handler run or push completion, whichever is later; every round is
 * checked. Baseline: {@link PlainJdbcBaseline}, the same insert / claim with {@code SKIP LOCKED} / delete cycle in
 * plain JDBC with inserts in batches of {@value #WINDOW} and claims of {@value #CLAIM} on 2 threads (so up to
 * {@value #PREFETCH} rows leased at once, as the pipeline's prefetch allows). Peer:
 * {@link DbSchedulerPeer}, db-scheduler running as many no-op one-time tasks. All three in one schema of their own
 * ({@code bench_jdbc_<random>}, dropped at the end) of the database {@code bench.jdbc} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code bench.jdbc.user}, default {@code postgres}, trust
 * authentication).
 */
final class JdbcScenario implements Scenario {
    static final String PIPELINE = "bench-jdbc";
    static final String JOB = "bench.jdbc";
    private static final int DOCUMENTED_JOBS = 20_000;
    private static final int WORKERS = 2;
    /**
     * The pipeline's prefetch: as many rows leased at once as the baseline's 2 consumers hold (2 x
     * {@value #CLAIM}); the driver then claims at least {@value #CLAIM} rows at a time (half of prefetch).
     */
    private static final int PREFETCH = 200;
    /** Rows per claim of each baseline consumer. */
    private static final int CLAIM = 100;
    private static final int WINDOW = 1000;
    private static final double TARGET_RATIO = 0.85;
    private static final long ROUND_TIMEOUT_SECONDS = 300;

    private final AtomicInteger roundNumber = new AtomicInteger();

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public String summary() {
        return "jdbc pipeline (driver-jdbc, PostgreSQL), prefetch " + PREFETCH + ", " + WORKERS + " workers, no-op "
                + "handler, async push with " + WINDOW + " in flight; baseline plain JDBC insert / claim SKIP LOCKED /"
                + " delete; peer db-scheduler";
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        String url = System.getProperty("bench.jdbc", "jdbc:postgresql://127.0.0.1:5432/test");
        String user = System.getProperty("bench.jdbc.user", "postgres");
        String schema = "bench_jdbc_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
        try (Connection admin = DriverManager.getConnection(url, user, "")) {
            try (Statement s = admin.createStatement()) {
                s.execute("CREATE SCHEMA " + schema);
            }
            try {
                return measure(settings, progress, url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                        user);
            } finally {
                try (Statement s = admin.createStatement()) {
                    s.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        } catch (SQLException e) {
            if ("08".equals(e.getSQLState() == null ? null : e.getSQLState().substring(0, 2))) {
                return Result.skipped(name(), "PostgreSQL is not reachable at " + url + " (" + e.getMessage()
                        + "): run .ci/start-postgres");
            }
            throw e;
        }
    }

    private Result measure(BenchSettings settings, Progress progress, String url, String user) throws Exception {
        int jobs = settings.jobs(DOCUMENTED_JOBS);
        progress.phase("starting the framework");
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name(),
                Map.of("jobs", Map.of("num_workers", WORKERS, "pipeline_size", 1_000_000),
                        "jobs.jdbc", Map.of("url", url, "user", user)),
                List.of("org.osgi.service.jdbc", "postgresql", "driver-jdbc"), List.of("jdbc"));
                PlainJdbcBaseline plain = new PlainJdbcBaseline(url, user, WINDOW, CLAIM, WORKERS);
                DbSchedulerPeer peer = new DbSchedulerPeer(url, user, WORKERS, WINDOW)) {
            BenchHandler handler = new BenchHandler();
            framework.registerHandler(JOB, handler);
            // bench.jdbc.prefetch: the pipeline's prefetch for an experiment (the baseline keeps its claims of 100)
            int prefetch = Integer.getInteger("bench.jdbc.prefetch", PREFETCH);
            framework.declare(Map.of(Jobs.OPTION_NAME, PIPELINE, Jobs.OPTION_DRIVER, "jdbc",
                    "prefetch", Integer.toString(prefetch)));
            framework.jobs().resume(PIPELINE);
            int workers = WorkerThreads.await(WORKERS, 10);

            List<List<Measurement>> rounds = Rounds.alternate(settings, progress, jobs, List.of(
                    new Rounds.Side("runtime", n -> runtimeRound(framework.jobs(), handler, n, progress)),
                    new Rounds.Side("plain jdbc", n -> plainRound(plain, n, progress)),
                    new Rounds.Side("db-scheduler", n -> peerRound(peer, n, progress))));
            Measurement runtime = Measurement.medians(rounds.get(0));
            Measurement baseline = Measurement.medians(rounds.get(1));
            Measurement dbScheduler = Measurement.medians(rounds.get(2));
            double ratio = runtime.jobsPerS() / baseline.jobsPerS();
            double peerRatio = runtime.jobsPerS() / dbScheduler.jobsPerS();
            String notes = String.format("%,d jobs/round, prefetch %d, push window %d, %d worker threads seen;"
                    + " baseline: plain JDBC, inserts in batches of %d, 2 threads each claiming up to %d; baseline p50"
                    + " %s p99 %s us; db-scheduler (2 threads, lock-and-fetch): %,.0f jobs/s, p50 %s p99 %s us,"
                    + " runtime/db-scheduler %.3f", jobs, prefetch, WINDOW, workers, WINDOW, CLAIM,
                    Report.number(baseline.p50Us()), Report.number(baseline.p99Us()), dbScheduler.jobsPerS(),
                    Report.number(dbScheduler.p50Us()), Report.number(dbScheduler.p99Us()), peerRatio);
            return Result.measured(name(), runtime, baseline, "ratio >= " + TARGET_RATIO, ratio >= TARGET_RATIO,
                    notes).withExtra("db_scheduler_jobs_per_s", Math.round(dbScheduler.jobsPerS()))
                    .withExtra("db_scheduler_ratio", peerRatio)
                    .withNote("jobs/s of the rounds: runtime " + Rounds.range(rounds.get(0)) + ", plain jdbc "
                            + Rounds.range(rounds.get(1)) + ", db-scheduler " + Rounds.range(rounds.get(2)));
        }
    }

    private Measurement runtimeRound(Jobs runtime, BenchHandler handler, int jobs, Progress progress)
            throws InterruptedException {
        RoundSink sink = new RoundSink(jobs);
        handler.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        PipelineStats before = runtime.stats(PIPELINE);
        AtomicInteger stored = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch allStored = new CountDownLatch(1);
        long[] storedAt = new long[1];
        byte[] scratch = new byte[Payloads.SIZE];
        Semaphore room = new Semaphore(WINDOW);
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            Payloads.stamp(scratch, System.nanoTime(), 0);
            room.acquire();
            runtime.pushAsync(Message.builder(JOB).id(Integer.toString(i)).pipeline(PIPELINE).payload(scratch)
                    .build()).whenComplete((ok, error) -> {
                        room.release();
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                        if (stored.incrementAndGet() == jobs) {
                            storedAt[0] = System.nanoTime();
                            allStored.countDown();
                        }
                    });
        }
        long lastHandled = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!allStored.await(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + stored.get() + " of " + jobs + " pushes completed");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a push failed: " + failure.get(), failure.get());
        }
        Measurement m = Measurement.of(jobs, Math.max(lastHandled, storedAt[0]) - start, sink.latencies());
        PipelineChecks.awaitSettled(runtime, PIPELINE, before, jobs);
        return m;
    }

    private Measurement plainRound(PlainJdbcBaseline plain, int jobs, Progress progress) throws Exception {
        RoundSink sink = new RoundSink(jobs);
        plain.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        long start = System.nanoTime();
        plain.pushAll(PIPELINE, JOB, jobs);
        long last = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        plain.checkFailure();
        return Measurement.of(jobs, last - start, sink.latencies());
    }

    private Measurement peerRound(DbSchedulerPeer peer, int jobs, Progress progress) throws Exception {
        RoundSink sink = new RoundSink(jobs);
        peer.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        long start = System.nanoTime();
        peer.pushAll(roundNumber.incrementAndGet(), jobs);
        long last = sink.awaitLast(ROUND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return Measurement.of(jobs, last - start, sink.latencies());
    }
}
