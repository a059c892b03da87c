package org.osgijobs.core.internal;

import org.osgijobs.api.driver.DriverContext;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;

/** What a constructor gets to build the driver of one pipeline. */
record PipelineDriverContext(Pipeline pipeline, String configKey, Queue queue, int timeoutSeconds)
        implements DriverContext {
}
