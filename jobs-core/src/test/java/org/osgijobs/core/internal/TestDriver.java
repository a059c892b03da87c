package org.osgijobs.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.State;
import org.osgijobs.api.driver.Browsable;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.DriverContext;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;

/**
 * A minimal in-process driver for the runtime's unit tests: jobs wait in a list while paused and go straight to the
 * queue while consuming; delays are ignored (recorded only), so retries run at once.
 */
class TestDriver implements Driver, Browsable {
    final Pipeline pipeline;
    final Queue queue;
    final List<Message> waiting = new ArrayList<>();
    final List<Integer> requeueDelays = new CopyOnWriteArrayList<>();
    final List<TestJob> settled = new CopyOnWriteArrayList<>();
    boolean consuming;
    boolean stopped;
    /** Jobs it keeps at most; beyond, pushes are refused. */
    volatile int capacity = Integer.MAX_VALUE;

    TestDriver(Pipeline pipeline, Queue queue) {
        this.pipeline = pipeline;
        this.queue = queue;
    }

    /** A constructor making test drivers under a name, remembering what it built. */
    static class Factory implements Constructor {
        final String name;
        final List<TestDriver> built = new CopyOnWriteArrayList<>();

        Factory(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Driver create(DriverContext context) {
            Pipeline pipeline = context.pipeline();
            pipeline.getInt("test_option", 0); // a driver option, validated like a real driver would
            TestDriver d = new TestDriver(pipeline, context.queue());
            built.add(d);
            return d;
        }

        TestDriver last() {
            return built.get(built.size() - 1);
        }
    }

    @Override
    public synchronized CompletionStage<Void> push(Message message) {
        if (stopped) {
            return CompletableFuture.failedFuture(new JobsException("test driver stopped"));
        }
        if (waiting.size() >= capacity) {
            return CompletableFuture.failedFuture(new JobsException(JobsException.Kind.UNAVAILABLE,
                    "test driver full"));
        }
        if (consuming) {
            enqueue(message);
        } else {
            waiting.add(message);
        }
        return CompletableFuture.completedFuture(null);
    }

    private void enqueue(Message message) {
        long priority = message.priority() == 0 ? pipeline.priority() : message.priority();
        if (!queue.offer(new TestJob(message, priority, this))) {
            waiting.add(message);
        }
    }

    @Override
    public synchronized void run(Pipeline p) {
        if (pipeline.getBool("test_push_only", false)) {
            return; // as an AMQP pipeline without a queue: it takes pushes and consumes nothing
        }
        consuming = true;
        List<Message> backlog = new ArrayList<>(waiting);
        waiting.clear();
        backlog.forEach(this::enqueue);
    }

    @Override
    public synchronized void pause(String name) {
        consuming = false;
        queue.withdraw().forEach(j -> waiting.add(j.context()));
    }

    @Override
    public void resume(String name) {
        run(pipeline);
    }

    @Override
    public synchronized List<Message> stop() {
        stopped = true;
        consuming = false;
        List<Message> all = new ArrayList<>();
        queue.withdraw().forEach(j -> all.add(j.context()));
        all.addAll(waiting);
        waiting.clear();
        return all;
    }

    @Override
    public synchronized State state() {
        return new State(pipeline.name(), pipeline.driver(), pipeline.name(), waiting.size(), 0, 0, consuming,
                pipeline.priority(), "");
    }

    @Override
    public synchronized List<Message> waiting(int limit) {
        return List.copyOf(waiting.subList(0, Math.min(limit, waiting.size())));
    }

    @Override
    public synchronized Optional<Message> remove(String id) {
        for (int i = 0; i < waiting.size(); i++) {
            if (waiting.get(i).id().equals(id)) {
                return Optional.of(waiting.remove(i));
            }
        }
        return Optional.empty();
    }

    void settled(TestJob job) {
        settled.add(job);
    }

    synchronized Custody requeue(TestJob job, java.util.Map<String, List<String>> headers, int delay) {
        if (stopped) {
            return Custody.RUNTIME;
        }
        requeueDelays.add(delay);
        Message again = job.message.toBuilder().headers(headers).build();
        if (consuming) {
            enqueue(again);
        } else {
            waiting.add(again);
        }
        return Custody.DRIVER;
    }
}
