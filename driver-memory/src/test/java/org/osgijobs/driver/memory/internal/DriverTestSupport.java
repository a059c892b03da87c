package org.osgijobs.driver.memory.internal;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.TestQueue;

/** Shared helpers: a timer per test, drivers of pipeline {@code p}, messages and job names. */
abstract class DriverTestSupport {
    static final String PIPELINE = "p";

    final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);

    @After
    public void stopTimer() {
        timer.shutdownNow();
    }

    static Pipeline pipeline(String... options) {
        Map<String, String> map = new HashMap<>();
        map.put("name", PIPELINE);
        map.put("driver", "memory");
        for (int i = 0; i < options.length; i += 2) {
            map.put(options[i], options[i + 1]);
        }
        return Pipeline.of(map);
    }

    MemoryDriver driver(TestQueue queue, String... options) {
        return new MemoryDriver(pipeline(options), queue, timer);
    }

    MemoryDriver running(TestQueue queue, String... options) {
        MemoryDriver driver = driver(queue, options);
        driver.run(pipeline(options));
        return driver;
    }

    static Message.Builder message(String name) {
        return Message.builder(name).pipeline(PIPELINE).id(name);
    }

    static Message msg(String name) {
        return message(name).build();
    }

    static Message msg(String name, long priority) {
        return message(name).priority(priority).build();
    }

    static void push(MemoryDriver driver, Message message) {
        driver.push(message).toCompletableFuture().join();
    }

    static void pushAll(MemoryDriver driver, String... names) {
        for (String name : names) {
            push(driver, msg(name));
        }
    }

    static JobsException failure(CompletionStage<Void> stage) {
        try {
            stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            assertTrue("expected a JobsException, got " + e.getCause(), e.getCause() instanceof JobsException);
            return (JobsException) e.getCause();
        }
        fail("expected the push to fail");
        return null;
    }

    static List<String> names(List<?> jobsOrMessages) {
        List<String> names = new ArrayList<>();
        for (Object o : jobsOrMessages) {
            names.add(o instanceof Job ? ((Job) o).name() : ((Message) o).name());
        }
        return names;
    }

    /** Waits for a condition that must become true; the limit only guards against a hang. */
    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("never happened: " + what);
            }
            Thread.sleep(10);
        }
    }
}
