package org.osgijobs.testing;

import org.osgijobs.api.driver.DriverContext;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;

/**
 * What the runtime gives a driver's constructor, for driver tests without jobs-core: the pipeline's options, its
 * configuration key ({@code null} for a declared pipeline), its view of the queue and its timeout.
 *
 * @param pipeline       the pipeline's options
 * @param configKey      the PID of its configuration, or {@code null}
 * @param queue          its view of the runtime's queue
 * @param timeoutSeconds the pipeline's {@code timeout}
 */
public record TestDriverContext(Pipeline pipeline, String configKey, Queue queue, int timeoutSeconds)
        implements DriverContext {

    /**
     * @param pipeline a declared pipeline's options; its {@code timeout} (default 60) is the context's
     * @param queue    its view of the queue
     * @return the context of a pipeline declared at runtime
     */
    public static TestDriverContext of(Pipeline pipeline, Queue queue) {
        return new TestDriverContext(pipeline, null, queue, pipeline.getInt("timeout", 60));
    }
}
