package org.osgijobs.api.driver;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Builds drivers of one kind. Register it as a service with the property {@value #DRIVER_NAME} equal to
 * {@link #name()}; when two live constructors claim one name, the runtime uses the first and keeps the other as a
 * stand-by. Building a driver never starts consumption: the runtime calls {@link Driver#run(Pipeline)}.
 */
@ConsumerType
public interface Constructor {

    /** The service property that names the driver kind, e.g. {@code memory} or {@code amqp}. */
    String DRIVER_NAME = "driver.name";

    /** @return the driver kind, the same as the {@value #DRIVER_NAME} service property */
    String name();

    /**
     * Builds the driver of one pipeline, declared by configuration ({@link DriverContext#configKey()} set) or at
     * runtime.
     *
     * @param context the pipeline's options, its queue, the runtime's settings
     * @return a driver, not yet consuming
     * @throws org.osgijobs.api.JobsException of kind {@code BAD_INPUT} when an option (of the pipeline, or of the
     *         driver's own connection configuration) is missing or malformed, naming it, or {@code REJECTED} when the
     *         broker refuses the pipeline; the pipeline then shows the error and gets no driver until its options
     *         change or a constructor of its kind registers again (after the driver's configuration changed)
     */
    Driver create(DriverContext context);
}
