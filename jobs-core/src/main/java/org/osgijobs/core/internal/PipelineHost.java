package org.osgijobs.core.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/** What a {@link ManagedPipeline} needs from the runtime that keeps it. */
interface PipelineHost {

    /** @return the runtime's {@code timeout}, in seconds */
    int timeoutSeconds();

    /** @return how long a push waits for a driver being swapped in, in nanoseconds */
    long driverWaitNanos();

    /** @return the constructor now serving a driver name */
    Optional<DriverRegistry.Entry> constructor(String driverName);

    /** @return the registered driver names, for error messages */
    String registeredDrivers();

    /** @return the runtime's shared queue; each driver gets its pipeline's view of it */
    PriorityJobQueue queue();

    /** @return where stages returned to producers complete, and where deferred work runs (never blocks) */
    Executor callbacks();

    /** Runs a task later on the callbacks executor. */
    void later(Runnable task, long delayMillis);

    /** Posts an event when EventAdmin is there. */
    void post(String topic, Map<String, Object> props);
}
