package org.osgijobs.driver.memory.internal;

import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.DriverContext;

/**
 * Registers the in-process driver kind ({@code driver.name=memory}) and builds one {@link MemoryDriver} per
 * pipeline. Its drivers share one timer thread for delays and retries: their timer tasks only move jobs between
 * in-memory structures and never block, so one thread serves any number of pipelines.
 */
@Component(service = Constructor.class, property = Constructor.DRIVER_NAME + "=" + MemoryDriver.NAME)
public final class MemoryConstructor implements Constructor {

    private final ScheduledThreadPoolExecutor timer;

    /** Creates the shared timer; its thread starts with the first delayed job or retry. */
    public MemoryConstructor() {
        timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "jobs-memory-timer");
            thread.setDaemon(true);
            return thread;
        });
        // delays may be long and rescheduled often: cancelled wake-ups must not pile up in the timer's queue
        timer.setRemoveOnCancelPolicy(true);
    }

    @Deactivate
    void deactivate() {
        // the runtime stops this kind's pipelines when the service goes; their delayed jobs are handed back then
        timer.shutdownNow();
    }

    @Override
    public String name() {
        return MemoryDriver.NAME;
    }

    @Override
    public Driver create(DriverContext context) {
        return new MemoryDriver(context.pipeline(), context.queue(), timer);
    }
}
