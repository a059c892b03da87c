package org.osgijobs.core.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.DriverContext;

/**
 * A driver whose every step a test scripts: what a push returns (by default, stored at once), what stop hands back,
 * and latches that say when a call arrived. It records what it received, in order, and never moves jobs to the
 * runtime's queue: the tests here are about the lifecycle, not about running jobs.
 */
final class ScriptedDriver implements Driver {
    final String name;
    /** The jobs it stored, in the order their pushes completed. */
    final List<Message> received = new CopyOnWriteArrayList<>();
    /** The ids of every push it was asked for, in call order. */
    final List<String> pushOrder = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch stopped = new CountDownLatch(1);
    final CountDownLatch paused = new CountDownLatch(1);
    volatile Function<Message, CompletionStage<Void>> onPush = m -> CompletableFuture.completedFuture(null);
    volatile List<Message> handBack = List.of();
    private volatile boolean isStopped;

    ScriptedDriver(String name) {
        this.name = name;
    }

    @Override
    public CompletionStage<Void> push(Message message) {
        if (isStopped) {
            return CompletableFuture.failedFuture(new org.osgijobs.api.JobsException("scripted driver stopped"));
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
        List<Message> back = new ArrayList<>(received);
        back.addAll(handBack);
        stopped.countDown();
        return Collections.unmodifiableList(back);
    }

    @Override
    public State state() {
        return State.builder(name).driver("scripted").active(received.size()).ready(calls.contains("run")).build();
    }

    List<String> receivedIds() {
        List<String> ids = new ArrayList<>();
        received.forEach(m -> ids.add(m.id()));
        return ids;
    }

    /** Hands out the drivers a test prepared, in order, then fresh ones. */
    static final class Factory implements Constructor {
        final java.util.concurrent.BlockingQueue<ScriptedDriver> prepared =
                new java.util.concurrent.LinkedBlockingQueue<>();
        final List<ScriptedDriver> built = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public Driver create(DriverContext context) {
            Pipeline pipeline = context.pipeline();
            ScriptedDriver next = prepared.poll();
            ScriptedDriver d = next != null ? next : new ScriptedDriver(pipeline.name());
            built.add(d);
            return d;
        }
    }
}
