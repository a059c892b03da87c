package org.osgijobs.api.driver;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the runtime gives a {@link Constructor} to build the driver of one pipeline. Implemented by the runtime, which
 * may add methods in minor versions.
 */
@ProviderType
public interface DriverContext {

    /** @return the pipeline's options; {@code timeout} is always set (the runtime's unless the pipeline sets one) */
    Pipeline pipeline();

    /**
     * @return the PID of the pipeline's ConfigAdmin configuration, or {@code null} for a pipeline declared at
     *         runtime through {@code PipelineAdmin.declare}
     */
    String configKey();

    /**
     * @return the pipeline's view of the runtime's queue, into which the driver moves its ready jobs; its
     *         {@link Queue#pipeline()} is {@code pipeline().name()}
     */
    Queue queue();

    /**
     * @return seconds the driver's own waits may take (a broker's confirm, a stop's grace): the pipeline's
     *         {@code timeout} option, which the runtime sets to its own {@code timeout} unless the pipeline sets one
     */
    int timeoutSeconds();
}
