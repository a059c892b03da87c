package org.osgijobs.core.internal;

import java.util.Map;

import org.osgi.framework.Constants;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One pipeline declared by a {@code jobs.pipeline} factory configuration: DS creates one instance per
 * configuration and tells the runtime when it is created, changed or deleted.
 */
@Component(configurationPid = PipelineConfiguration.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = PipelineConfiguration.Config.class, factory = true)
public final class PipelineConfiguration {

    /** The factory PID of pipeline configurations. */
    public static final String FACTORY_PID = "jobs.pipeline";

    /** The options every pipeline has; drivers read further options of their own. */
    @ObjectClassDefinition(id = FACTORY_PID, name = "Jobs pipeline",
            description = "A pipeline: its name, its driver and the driver's options")
    public @interface Config {
        @AttributeDefinition(description = "Pipeline name (default: from the file name jobs.pipeline-<name>.cfg)",
                required = false)
        String name();

        @AttributeDefinition(description = "Driver name, e.g. memory or amqp")
        String driver();

        @AttributeDefinition(description = "Priority of the pipeline's jobs, lower first", required = false)
        long priority() default 10;

        @AttributeDefinition(description = "Start consuming when the pipeline appears", required = false)
        boolean consume() default true;

        @AttributeDefinition(description = "Runs a job gets in all (1: no retry)", required = false)
        int max__attempts() default 3;

        @AttributeDefinition(description = "Seconds before the first retry", required = false)
        int retry__delay() default 1;

        @AttributeDefinition(description = "Factor applied to the delay for each further retry", required = false)
        double retry__multiplier() default 2.0;

        @AttributeDefinition(description = "Cap of the retry delay, in seconds", required = false)
        int retry__max__delay() default 60;

        @AttributeDefinition(description = "Pipeline receiving jobs whose attempts are used up", required = false)
        String dead__letter__pipeline();

        @AttributeDefinition(description = "Seconds before a job with no handler is offered again",
                required = false)
        int no__handler__delay() default 5;

        @AttributeDefinition(description = "Times a job may find no handler before it is dead-lettered or dropped",
                required = false)
        int no__handler__rounds() default 120;

        @AttributeDefinition(description = "Seconds a handler may run (0: the runtime's job_timeout)",
                required = false)
        int job__timeout() default 0;
    }

    private final PipelineRegistry registry;
    private final String pid;

    @Activate
    public PipelineConfiguration(@Reference PipelineRegistry registry, Map<String, Object> props) {
        this.registry = registry;
        this.pid = String.valueOf(props.get(Constants.SERVICE_PID));
        registry.configure(pid, props);
    }

    @Modified
    void modified(Map<String, Object> props) {
        registry.configure(pid, props);
    }

    /**
     * Destroys the pipeline only when its configuration is deleted. For any other reason (the bundle or the runtime
     * stops, the component is disabled or disposed) the pipeline and its jobs stay: the runtime stops them itself
     * when it goes, and reports what it still held.
     */
    @Deactivate
    void deactivate(int reason) {
        if (reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED) {
            registry.unconfigure(pid);
        }
    }
}
