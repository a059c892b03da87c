package org.osgijobs.api.driver;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Builds drivers of one kind. Register it as a service with the property {@value #DRIVER_NAME} equal to
 * {@link #name()}; when two live constructors claim one name, the runtime uses the first and reports the
 * conflict. Building a driver never starts consumption: the runtime calls {@link Driver#run(Pipeline)}.
 */
@ConsumerType
public interface Constructor {

    /** The service property that names the driver kind, e.g. {@code memory} or {@code amqp}. */
    String DRIVER_NAME = "driver.name";

    /** @return the driver kind, the same as the {@value #DRIVER_NAME} service property */
    String name();

    /**
     * Builds a driver for a pipeline declared by configuration.
     *
     * @param configKey the PID of the pipeline's ConfigAdmin configuration
     * @param queue     the runtime's priority queue, into which the driver inserts ready jobs
     * @param pipeline  the pipeline's options
     * @return a driver, not yet consuming
     * @throws org.osgijobs.api.JobsException when an option is missing or malformed; the message names it
     */
    Driver driverFromConfig(String configKey, Queue queue, Pipeline pipeline);

    /**
     * Builds a driver for a pipeline declared at runtime through {@code Jobs.declare}.
     *
     * @param pipeline the pipeline's options
     * @param queue    the runtime's priority queue
     * @return a driver, not yet consuming
     * @throws org.osgijobs.api.JobsException when an option is missing or malformed; the message names it
     */
    Driver driverFromPipeline(Pipeline pipeline, Queue queue);
}
