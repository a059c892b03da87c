package org.osgijobs.benchmarks;

import java.io.File;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.osgijobs.api.Jobs;
import org.osgijobs.api.Message;
import org.osgijobs.api.PipelineStats;

/**
 * Issue 13, cost per pipeline: {@code n} pipelines of one driver ({@code memory} or {@code amqp}) in one runtime.
 * Measured: the threads they add (those named after a pipeline, and those shared), the TCP connections to the
 * broker (counted on the client side, from {@code /proc}) and their channels (from {@code rabbitmqctl}, when it
 * works), the heap per idle pipeline (after full GCs, before and after declaring them; a first pipeline declared
 * before carries the driver's one-time costs, reported apart), and the push throughput
 * with the jobs spread over all of them, against the same jobs pushed into one of them in the same runtime.
 */
final class PipelinesScenario implements Scenario {
    static final String JOB = "bench.pipelines";
    private static final String PREFIX = "osgijobs.bench.pipelines.";
    private static final int WORKERS = 2;
    private static final int PREFETCH = 100;
    private static final int WINDOW = 1000;
    private static final long MAX_HEAP_PER_PIPELINE = 100 * 1024;
    private static final long ROUND_TIMEOUT_SECONDS = 300;
    /** The number of the first pipeline, declared before the measured ones. */
    private static final int FIRST = -1;

    private final String driver;
    private final int pipelines;

    PipelinesScenario(String driver, int pipelines) {
        this.driver = driver;
        this.pipelines = pipelines;
    }

    @Override
    public String name() {
        return "pipelines-" + driver + "-" + pipelines;
    }

    @Override
    public String summary() {
        return pipelines + " " + driver + " pipelines in one runtime: threads, connections, idle heap per pipeline;"
                + " jobs spread over all of them, baseline the same jobs into one";
    }

    private boolean amqp() {
        return "amqp".equals(driver);
    }

    private String pipeline(int i) {
        return i == FIRST ? "bench-pipe-first" : "bench-pipe-" + i;
    }

    private String queue(int i) {
        return PREFIX + (i == FIRST ? "first" : Integer.toString(i));
    }

    @Override
    public Result run(BenchSettings settings, Progress progress) throws Exception {
        Broker broker = amqp() ? new Broker(settings.amqpUri()) : null;
        if (broker != null) {
            String unreachable = broker.unreachable();
            if (unreachable != null) {
                return Result.skipped(name(), unreachable);
            }
        }
        int perPipeline = Math.max(1, settings.jobs(amqp() ? 20_000 : 200_000) / pipelines);
        int jobs = perPipeline * pipelines;
        List<String> queues = new ArrayList<>();
        queues.add(queue(FIRST));
        for (int i = 0; i < pipelines; i++) {
            queues.add(queue(i));
        }
        List<String> exchanges = List.of(PREFIX + "exchange");
        if (broker != null) {
            broker.delete(queues, exchanges);
        }
        progress.phase("starting the framework");
        Map<String, Map<String, ?>> config = new HashMap<>();
        config.put("jobs", Map.of("num_workers", WORKERS, "pipeline_size", 1_000_000));
        if (amqp()) {
            config.put("jobs.amqp", Map.of("addr", settings.amqpUri()));
        }
        try (EmbeddedFramework framework = EmbeddedFramework.start(settings, name(), config,
                amqp() ? List.of("jackson-annotations", "jackson-core", "jackson-databind", "driver-amqp")
                        : List.of("driver-" + driver), List.of(driver))) {
            BenchHandler handler = new BenchHandler();
            framework.registerHandler(JOB, handler);
            WorkerThreads.await(WORKERS, 10);
            Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
            long heapEmpty = Heap.usedAfterGc();
            // a first pipeline of the driver, not used in the rounds, carries the one-time costs (classes
            // initialised, the shared connection): the figure per pipeline is what each one adds after it
            progress.phase("declaring a first pipeline");
            framework.declare(options(FIRST));
            framework.jobs().resume(pipeline(FIRST));
            long heapBefore = Heap.usedAfterGc();
            double firstPipelineHeap = heapBefore - heapEmpty;
            progress.phase("declaring " + pipelines + " pipelines");
            long declareStart = System.nanoTime();
            for (int i = 0; i < pipelines; i++) {
                framework.declare(options(i));
                framework.jobs().resume(pipeline(i));
            }
            long declareNanos = System.nanoTime() - declareStart;
            long heapAfter = Heap.usedAfterGc();
            double heapPerPipeline = (heapAfter - heapBefore) / (double) pipelines;
            Threads idle = Threads.added(before, pipelines);
            int connections = amqp() ? TcpConnections.to(port(settings.amqpUri())) : 0;
            String channels = amqp() ? BrokerChannels.of("osgijobs-" + ProcessHandle.current().pid()) : "";

            Rounds.Outcome outcome = Rounds.alternate(settings, progress, jobs,
                    "spread over " + pipelines, n -> round(framework.jobs(), handler, perPipeline, pipelines,
                            progress),
                    "into one", n -> round(framework.jobs(), handler, jobs, 1, progress));
            Threads busy = Threads.added(before, pipelines);
            int connectionsAfter = amqp() ? TcpConnections.to(port(settings.amqpUri())) : 0;

            // the first pipeline's threads are counted too: pipelines + 1 of them
            boolean threadsMet = busy.perPipeline() <= pipelines + 1;
            boolean connectionsMet = !amqp() || Math.max(connections, connectionsAfter) == 1;
            boolean heapMet = heapPerPipeline < MAX_HEAP_PER_PIPELINE;
            String notes = String.format("%,d jobs/round (%,d per pipeline when spread), %d workers, prefetch %d;"
                    + " declaring took %.1f ms per pipeline; threads added by them and the first pipeline: %d idle (%d named after a pipeline, %d"
                    + " shared: %s), %d after the rounds (%d named after a pipeline: %s; %d shared: %s)%s;"
                    + " idle heap %,.0f B per pipeline (the first pipeline, with the driver's one-time costs: %,.0f B);"
                    + " targets: <= 1 thread per pipeline %s, %s, < 100 KB heap %s",
                    jobs, perPipeline, WORKERS, PREFETCH, declareNanos / 1e6 / pipelines, idle.total(),
                    idle.perPipeline(), idle.shared(), idle.sharedKinds(), busy.total(), busy.perPipeline(),
                    busy.pipelineKinds(), busy.shared(), busy.sharedKinds(),
                    amqp() ? String.format("; TCP connections to the broker: %d idle, %d after the rounds; %s",
                            connections, connectionsAfter, channels) : "",
                    heapPerPipeline, firstPipelineHeap, threadsMet ? "met" : "MISSED",
                    amqp() ? "one shared connection " + (connectionsMet ? "met" : "MISSED") : "no connection",
                    heapMet ? "met" : "MISSED");
            return Result.measured(name(), outcome.product(), outcome.baseline(),
                    "<= 1 thread and no own connection per pipeline, < 100 KB idle heap",
                    threadsMet && connectionsMet && heapMet, notes)
                    .withExtra("threads", busy.total())
                    .withExtra("threads_per_pipeline", busy.perPipeline() / (double) (pipelines + 1))
                    .withExtra("first_pipeline_heap_bytes", Math.round(firstPipelineHeap))
                    .withExtra("connections", amqp() ? Math.max(connections, connectionsAfter) : 0)
                    .withExtra("heap_bytes_per_pipeline", Math.round(heapPerPipeline))
                    .withNote(outcome.spread("spread", "into one"));
        } finally {
            if (broker != null) {
                broker.delete(queues, exchanges);
            }
        }
    }

    private Map<String, String> options(int i) {
        Map<String, String> o = new HashMap<>();
        o.put(Jobs.OPTION_NAME, pipeline(i));
        o.put(Jobs.OPTION_DRIVER, driver);
        if (amqp()) {
            o.put("queue", queue(i));
            o.put("exchange", PREFIX + "exchange");
            o.put("routing_key", queue(i));
            o.put("durable", "true");
            o.put("exchange_durable", "true");
            o.put("prefetch", Integer.toString(PREFETCH));
            o.put("delete_queue_on_stop", "true");
        }
        return o;
    }

    /** Pushes {@code perPipeline} jobs into each of the first {@code count} pipelines, round robin. */
    private Measurement round(Jobs runtime, BenchHandler handler, int perPipeline, int count, Progress progress)
            throws InterruptedException {
        int jobs = perPipeline * count;
        RoundSink sink = new RoundSink(jobs);
        handler.use(sink::handled);
        progress.counting(sink::handledCount, jobs);
        List<PipelineStats> before = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            before.add(runtime.stats(pipeline(i)));
        }
        AtomicInteger stored = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch allStored = new CountDownLatch(1);
        long[] storedAt = new long[1];
        byte[] scratch = new byte[Payloads.SIZE];
        Semaphore room = new Semaphore(2 * WINDOW);
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            Payloads.stamp(scratch, System.nanoTime(), 0);
            room.acquire();
            runtime.pushAsync(Message.builder(JOB).id(Integer.toString(i)).pipeline(pipeline(i % count))
                    .payload(scratch).build()).whenComplete((ok, error) -> {
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
        long end = Math.max(lastHandled, storedAt[0]);
        Measurement m = Measurement.of(jobs, end - start, sink.latencies());
        for (int i = 0; i < count; i++) {
            PipelineChecks.awaitSettled(runtime, pipeline(i), before.get(i), perPipeline);
        }
        return m;
    }

    private static int port(String uri) {
        int port = URI.create(uri).getPort();
        return port > 0 ? port : uri.startsWith("amqps:") ? 5671 : 5672;
    }

    /** The threads started since a moment, sorted into those named after a pipeline and the shared ones. */
    private record Threads(int total, int perPipeline, int shared, String pipelineKinds, String sharedKinds) {

        static Threads added(Set<Thread> before, int pipelines) {
            Map<String, Integer> own = new TreeMap<>();
            Map<String, Integer> shared = new TreeMap<>();
            int total = 0;
            int ownCount = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!t.isAlive() || before.contains(t)) {
                    continue;
                }
                total++;
                // a pipeline's thread carries its name (amqp-bench-pipe-7-publish-1); the kind drops the numbers
                String kind = t.getName().replaceAll("bench-pipe-\\d+", "<pipeline>").replaceAll("-\\d+$", "")
                        .replaceAll("bench-pipe-first", "<pipeline>").replaceAll("osgijobs-\\d+", "osgijobs-<pid>");
                if (kind.contains("<pipeline>")) {
                    ownCount++;
                    own.merge(kind, 1, Integer::sum);
                } else {
                    shared.merge(kind, 1, Integer::sum);
                }
            }
            return new Threads(total, ownCount, total - ownCount, own.isEmpty() ? "none" : own.toString(),
                    shared.isEmpty() ? "none" : shared.toString());
        }
    }

    /** The channels of this process's shared connection, as the broker counts them ({@code rabbitmqctl}). */
    private static final class BrokerChannels {
        static String of(String connectionName) {
            try {
                Process p = new ProcessBuilder("rabbitmqctl", "-q", "list_connections", "--no-table-headers",
                        "channels", "client_properties").redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return "channels: rabbitmqctl took too long";
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    return "channels: rabbitmqctl failed";
                }
                int connections = 0;
                int channels = 0;
                for (String line : out.split("\n")) {
                    if (line.contains("{\"connection_name\",\"" + connectionName + "\"}")) {
                        connections++;
                        channels += Integer.parseInt(line.split("\t")[0].trim());
                    }
                }
                return "the broker shows " + connections + " connection(s) named " + connectionName.replaceAll(
                        "\\d+$", "<pid>") + " with " + channels + " channels";
            } catch (Exception e) {
                return "channels: rabbitmqctl unavailable (" + e.getMessage() + ")";
            }
        }
    }
}
