package org.osgijobs.api.monitor;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The runtime's own gauges, registered by the runtime as a service and read when wanted (a metrics scrape): its
 * worker threads and its shared queue. Per-pipeline figures are in {@link org.osgijobs.api.PipelineAdmin#stats}.
 */
@ProviderType
public interface RuntimeGauges {

    /** @return the worker threads that run handlers ({@code num_workers}) */
    int workers();

    /** @return the workers running a job now */
    int busyWorkers();

    /** @return the jobs in the runtime's shared priority queue, of all pipelines, not yet taken by a worker */
    int queuedJobs();

    /** @return the capacity of that queue ({@code pipeline_size}) */
    int queueCapacity();
}
