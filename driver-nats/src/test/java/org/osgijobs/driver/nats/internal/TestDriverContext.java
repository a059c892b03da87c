package org.osgijobs.driver.nats.internal;

import java.util.Map;

import org.osgijobs.api.driver.DriverContext;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;
import org.osgijobs.testing.SharedTestQueue;

/**
 * What the runtime gives a constructor, for tests without jobs-core: the pipeline's options (with a {@code timeout},
 * as the runtime always sets one), its configuration key or {@code null}, its view of the queue, the runtime's
 * timeout.
 */
record TestDriverContext(Pipeline pipeline, String configKey, Queue queue, int timeoutSeconds)
        implements DriverContext {

    /** A pipeline declared at runtime: no configuration key, a fresh queue of its own. */
    static TestDriverContext declared(Map<String, Object> options) {
        return configured(null, options);
    }

    /** A pipeline declared by configuration: its PID, a fresh queue of its own. */
    static TestDriverContext configured(String configKey, Map<String, Object> options) {
        Pipeline pipeline = Pipeline.of(options);
        return new TestDriverContext(pipeline, configKey, new SharedTestQueue(pipeline.name()), 10);
    }
}
