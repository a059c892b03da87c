package org.osgijobs.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.DriverContext;
import org.osgijobs.api.driver.Pipeline;

/**
 * A driver whose every step a test scripts, for lifecycle tests of the runtime: what a push does (by default the job
 * is stored at once; it may block the caller on a latch, fail, or complete when the test says), whether stop blocks,
 * what stop hands back, and latches that say when a call arrived. It records the pushes in call order, what it
 * stored, and the calls it got. It never moves jobs to the runtime's queue by itself: a test that wants jobs to run
 * inserts them through {@link #context()}.
 * <p>
 * Scripts are set before or while the driver is used; the last one set applies to the calls made after it. A push
 * after {@link #stop()} fails. Thread-safe.
 */
public final class ScriptedDriver implements Driver {
    /** The driver kind it reports in its state, and the default name of its {@link Factory}. */
    public static final String KIND = "scripted";

    private final String name;
    private final List<Message> received = new CopyOnWriteArrayList<>();
    private final List<String> pushOrder = new CopyOnWriteArrayList<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Map<String, CompletableFuture<Void>> pending = Collections.synchronizedMap(new LinkedHashMap<>());
    private final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch stopCalled = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Function<Message, CompletionStage<Void>> onPush = m -> CompletableFuture.completedFuture(null);
    private volatile Runnable onRun = () -> { };
    private volatile CountDownLatch stopBlocker;
    private volatile List<Message> handBack = List.of();
    private volatile DriverContext context;
    private volatile boolean isStopped;

    /** @param name the name its state reports (the pipeline's, when its {@link Factory} builds it) */
    public ScriptedDriver(String name) {
        this.name = name;
    }

    // ---- scripting -----------------------------------------------------------------------------------------

    /**
     * Scripts the pushes: the stage the function returns is what push returns; the job counts as stored when it
     * completes normally. The function runs in the pushing thread and may block it (back-pressure).
     *
     * @return this driver
     */
    public ScriptedDriver onPush(Function<Message, CompletionStage<Void>> script) {
        this.onPush = script;
        return this;
    }

    /**
     * @param action what {@link #run(Pipeline)} does after recording the call, on the caller's thread (for example
     *               completing the pushes of a bounded driver that makes room only by consuming)
     * @return this
     */
    public ScriptedDriver onRun(Runnable action) {
        this.onRun = action;
        return this;
    }

    /** Pushes store the job at once (the default). */
    public ScriptedDriver pushesSucceed() {
        return onPush(m -> CompletableFuture.completedFuture(null));
    }

    /**
     * Pushes block the pushing thread until the latch opens, then store the job; a push interrupted while it waits
     * fails.
     */
    public ScriptedDriver pushesBlockUntil(CountDownLatch release) {
        return onPush(m -> {
            try {
                release.await();
                return CompletableFuture.completedFuture(null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(new JobsException("scripted push of '" + m.id()
                        + "' interrupted", e));
            }
        });
    }

    /** Pushes fail with the exception (the same instance each time). */
    public ScriptedDriver pushesFail(JobsException failure) {
        return onPush(m -> CompletableFuture.failedFuture(failure));
    }

    /**
     * Pushes return at once with a stage that completes only when the test calls {@link #completePush(String)} or
     * {@link #failPush(String, Throwable)}; {@link #pendingPushes()} lists the ones waiting.
     */
    public ScriptedDriver pushesCompleteLater() {
        return onPush(m -> {
            CompletableFuture<Void> later = new CompletableFuture<>();
            pending.put(m.id(), later);
            return later;
        });
    }

    /** @return the ids of the pushes waiting for {@link #completePush(String)}, in call order */
    public List<String> pendingPushes() {
        synchronized (pending) {
            List<String> ids = new ArrayList<>();
            pending.forEach((id, f) -> {
                if (!f.isDone()) {
                    ids.add(id);
                }
            });
            return ids;
        }
    }

    /**
     * Completes a push made while {@link #pushesCompleteLater()} applied: the job is stored.
     *
     * @throws IllegalArgumentException when no such push waits
     */
    public void completePush(String id) {
        waitingPush(id).complete(null);
    }

    /**
     * Fails a push made while {@link #pushesCompleteLater()} applied.
     *
     * @throws IllegalArgumentException when no such push waits
     */
    public void failPush(String id, Throwable failure) {
        waitingPush(id).completeExceptionally(failure);
    }

    /** {@link #stop()} blocks until the latch opens (after {@link #stopCalled()} opened), or until interrupted. */
    public ScriptedDriver stopBlocksUntil(CountDownLatch release) {
        this.stopBlocker = release;
        return this;
    }

    /** {@link #stop()} hands these jobs back after the ones the driver stored, as a driver's in-process backlog. */
    public ScriptedDriver handBack(List<Message> jobs) {
        this.handBack = List.copyOf(jobs);
        return this;
    }

    // ---- what happened ---------------------------------------------------------------------------------------

    /** @return the name given at construction */
    public String name() {
        return name;
    }

    /** @return the jobs it stored, in the order their pushes completed */
    public List<Message> received() {
        return List.copyOf(received);
    }

    /** @return the ids of the jobs it stored, in the order their pushes completed */
    public List<String> receivedIds() {
        List<String> ids = new ArrayList<>();
        received.forEach(m -> ids.add(m.id()));
        return ids;
    }

    /** @return the ids of every push it was asked for (stored or not), in call order */
    public List<String> pushOrder() {
        return List.copyOf(pushOrder);
    }

    /** @return the lifecycle calls it got, in order: {@code run}, {@code pause}, {@code resume}, {@code stop} */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** @return opens at the first {@link #pause(String)} */
    public CountDownLatch paused() {
        return paused;
    }

    /** @return opens when {@link #stop()} is called, before it blocks (see {@link #stopBlocksUntil}) */
    public CountDownLatch stopCalled() {
        return stopCalled;
    }

    /** @return opens when {@link #stop()} returns */
    public CountDownLatch stopped() {
        return stopped;
    }

    /** @return whether {@link #stop()} was called */
    public boolean isStopped() {
        return isStopped;
    }

    /** @return the context its {@link Factory} built it with, or {@code null} when a test built it directly */
    public DriverContext context() {
        return context;
    }

    // ---- Driver --------------------------------------------------------------------------------------------

    @Override
    public CompletionStage<Void> push(Message message) {
        if (isStopped) {
            return CompletableFuture.failedFuture(new JobsException("scripted driver stopped"));
        }
        pushOrder.add(message.id());
        CompletionStage<Void> outcome = onPush.apply(message);
        outcome.whenComplete((ok, failure) -> {
            if (failure == null) {
                received.add(message);
            }
        });
        return outcome;
    }

    @Override
    public void run(Pipeline pipeline) {
        calls.add("run");
        onRun.run();
    }

    @Override
    public void pause(String pipeline) {
        calls.add("pause");
        paused.countDown();
    }

    @Override
    public void resume(String pipeline) {
        calls.add("resume");
    }

    @Override
    public List<Message> stop() {
        calls.add("stop");
        isStopped = true;
        stopCalled.countDown();
        CountDownLatch blocker = stopBlocker;
        if (blocker != null) {
            try {
                blocker.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Message> back = new ArrayList<>(received);
        back.addAll(handBack);
        stopped.countDown();
        return Collections.unmodifiableList(back);
    }

    @Override
    public State state() {
        return State.builder(name).driver(KIND).active(received.size()).ready(calls.contains("run")).build();
    }

    @Override
    public String toString() {
        return "ScriptedDriver[" + name + ", pushes " + pushOrder + ", calls " + calls + "]";
    }

    private CompletableFuture<Void> waitingPush(String id) {
        CompletableFuture<Void> f = pending.get(id);
        if (f == null || f.isDone()) {
            throw new IllegalArgumentException("no push of '" + id + "' waits; waiting: " + pendingPushes());
        }
        return f;
    }

    /**
     * The constructor of scripted drivers: it hands out the drivers a test {@link #prepare prepared}, in order, then
     * fresh ones named after the pipeline, and may refuse to build one.
     */
    public static final class Factory implements Constructor {
        private final String name;
        private final BlockingQueue<ScriptedDriver> prepared = new LinkedBlockingQueue<>();
        private final List<ScriptedDriver> built = new CopyOnWriteArrayList<>();
        private final List<DriverContext> contexts = new CopyOnWriteArrayList<>();
        private volatile Function<DriverContext, JobsException> refusal = c -> null;

        /** A constructor of the driver kind {@value ScriptedDriver#KIND}. */
        public Factory() {
            this(KIND);
        }

        /** @param name the driver kind it builds, as the {@code driver.name} service property would say */
        public Factory(String name) {
            this.name = name;
        }

        /**
         * Queues drivers for the next {@link #create(DriverContext)} calls, in order.
         *
         * @return this factory
         */
        public Factory prepare(ScriptedDriver... drivers) {
            prepared.addAll(List.of(drivers));
            return this;
        }

        /**
         * Scripts refusals: when the function returns an exception for a context, {@code create} throws it instead
         * of building a driver ({@code null}: build).
         *
         * @return this factory
         */
        public Factory refuseWhen(Function<DriverContext, JobsException> refusal) {
            this.refusal = refusal;
            return this;
        }

        /** @return the drivers built so far, in order */
        public List<ScriptedDriver> built() {
            return List.copyOf(built);
        }

        /** @return the contexts of every create call, refused ones included, in order */
        public List<DriverContext> contexts() {
            return List.copyOf(contexts);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Driver create(DriverContext context) {
            contexts.add(context);
            JobsException refused = refusal.apply(context);
            if (refused != null) {
                throw refused;
            }
            ScriptedDriver next = prepared.poll();
            ScriptedDriver d = next != null ? next : new ScriptedDriver(context.pipeline().name());
            d.context = context;
            built.add(d);
            return d;
        }
    }
}
