package org.osgijobs.driver.amqp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.DriverContext;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code amqp} driver kind: builds one {@link AmqpDriver} per pipeline, all connecting to the broker of the
 * {@code jobs.amqp} configuration (RoadRunner's default address when there is none), on one shared connection
 * (channels per pipeline). A changed configuration
 * re-registers this service, and the runtime rebuilds the pipelines.
 * <p>
 * A malformed {@code jobs.amqp} configuration does not stop the service: every pipeline built from it fails with
 * the message naming the problem.
 */
@Component(service = Constructor.class, property = Constructor.DRIVER_NAME + "=" + AmqpDriver.NAME,
        configurationPid = AmqpConstructor.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AmqpConnectionConfig.class)
public final class AmqpConstructor implements Constructor {
    private static final Logger LOG = LoggerFactory.getLogger(AmqpConstructor.class);

    /** The configuration PID of the broker connection. */
    static final String PID = "jobs.amqp";

    private final Set<AmqpDriver> drivers = ConcurrentHashMap.newKeySet();
    private volatile ConnectionSettings settings;
    private volatile JobsException configurationError;
    /** The pipelines' shared connections: the broker shows them as {@code osgijobs-<pid>}. */
    private final Connections connections = new Connections("osgijobs-" + ProcessHandle.current().pid());

    /** For DS. */
    public AmqpConstructor() {
    }

    @Activate
    void activate(Map<String, Object> properties) {
        try {
            settings = ConnectionSettings.of(properties);
            LOG.info("amqp driver ready: broker {}{}", settings, settings.tls() ? " over TLS" : "");
        } catch (JobsException e) {
            configurationError = e;
            LOG.error("amqp driver: {}; amqp pipelines cannot start until it is fixed", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        List<AmqpDriver> left = new ArrayList<>(drivers);
        for (AmqpDriver driver : left) {
            LOG.info("amqp driver going away: stopping pipeline '{}'", driver.pipeline());
            try {
                driver.stop();
            } catch (RuntimeException e) {
                LOG.error("amqp driver: pipeline '{}' did not stop cleanly", driver.pipeline(), e);
            }
        }
    }

    /** @return how many shared connections the pipelines built here hold open now */
    int connections() {
        return connections.size();
    }

    @Override
    public String name() {
        return AmqpDriver.NAME;
    }

    /**
     * Builds the driver of a pipeline, declared by configuration or at runtime alike: the configuration key is not
     * needed, the pipeline's options and its queue are.
     *
     * @throws JobsException of kind {@code BAD_INPUT} naming the option when a pipeline option or the
     *         {@code jobs.amqp} configuration is malformed, or {@code REJECTED} when the broker refuses the
     *         pipeline's exchange or queue
     */
    @Override
    public Driver create(DriverContext context) {
        Pipeline pipeline = context.pipeline();
        JobsException broken = configurationError;
        if (broken != null) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "pipeline '" + pipeline.name() + "': "
                    + broken.getMessage(), broken);
        }
        Queue queue = context.queue();
        AmqpDriver driver = new AmqpDriver(pipeline, settings, connections, queue, drivers::remove);
        drivers.add(driver);
        try {
            driver.start();
        } catch (RuntimeException e) {
            drivers.remove(driver);
            throw e;
        }
        return driver;
    }
}
