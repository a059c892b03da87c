package org.osgijobs.driver.local.internal;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.DriverContext;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;
import org.osgijobs.testing.TestDriverContext;
import org.osgijobs.testing.TestQueue;

/** Shared helpers: a constructor on a temporary data folder, drivers of pipeline {@code p}, messages. */
abstract class LocalFixture {
    static final String PIPELINE = "p";

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    LocalConstructor constructor;
    private final List<LocalDriver> drivers = new ArrayList<>();

    @Before
    public void createConstructor() {
        constructor = new LocalConstructor(folder.getRoot().toPath().resolve("data"));
    }

    @After
    public void stopDrivers() {
        drivers.forEach(LocalDriver::stop);
        constructor.deactivate();
    }

    static Pipeline pipeline(String name, String... options) {
        Map<String, String> map = new HashMap<>();
        map.put("name", name);
        map.put("driver", "local");
        map.put("timeout", "5");
        for (int i = 0; i < options.length; i += 2) {
            map.put(options[i], options[i + 1]);
        }
        return Pipeline.of(map);
    }

    static DriverContext context(Pipeline pipeline, Queue queue) {
        return TestDriverContext.of(pipeline, queue);
    }

    /** A driver of pipeline {@code p}, not consuming. */
    LocalDriver driver(TestQueue queue, String... options) {
        LocalDriver driver = (LocalDriver) constructor.create(context(pipeline(PIPELINE, options), queue));
        drivers.add(driver);
        return driver;
    }

    /** A driver of pipeline {@code p}, consuming. */
    LocalDriver running(TestQueue queue, String... options) {
        LocalDriver driver = driver(queue, options);
        driver.run(pipeline(PIPELINE, options));
        return driver;
    }

    static TestQueue queue() {
        return new TestQueue(PIPELINE, 10_000);
    }

    Path file() {
        return folder.getRoot().toPath().resolve("data").resolve(PIPELINE + ".db");
    }

    static Message.Builder message(String name) {
        return Message.builder(name).pipeline(PIPELINE).id(name);
    }

    static Message msg(String name) {
        return message(name).build();
    }

    static void push(LocalDriver driver, Message message) {
        driver.push(message).toCompletableFuture().join();
    }

    static void pushAll(LocalDriver driver, String... names) {
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

    /** Takes jobs as a worker does until {@code count} came, failing when one does not come within 10 s. */
    static List<Job> take(TestQueue queue, int count) throws InterruptedException {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Job job = queue.take(10, TimeUnit.SECONDS);
            if (job == null) {
                fail("only " + jobs.size() + " of " + count + " jobs came: " + names(jobs));
            }
            jobs.add(job);
        }
        return jobs;
    }

    static List<String> names(List<? extends Job> jobs) {
        List<String> names = new ArrayList<>();
        jobs.forEach(job -> names.add(job.name()));
        return names;
    }
}
