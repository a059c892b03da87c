package org.osgijobs.core.internal;

import java.util.Map;

/**
 * The runtime's internal service for pipelines declared by configuration: one call per {@code jobs.pipeline}
 * factory configuration change. Registered only inside this bundle's package space.
 */
interface PipelineRegistry {

    /**
     * Creates the pipeline of a configuration, or restarts it with the changed options. Bad options do not throw:
     * the pipeline shows the error in its state and the log.
     *
     * @param pid   the configuration's PID
     * @param props its properties
     */
    void configure(String pid, Map<String, ?> props);

    /**
     * Destroys the pipeline of a deleted configuration.
     *
     * @param pid the configuration's PID
     */
    void unconfigure(String pid);
}
