package org.osgijobs.driver.nats.internal;

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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code nats} driver kind: builds one {@link NatsDriver} per pipeline, all connecting to the server of the
 * {@code jobs.nats} configuration (RoadRunner's default address when there is none). A changed configuration
 * re-registers this service, and the runtime rebuilds the pipelines.
 * <p>
 * A malformed {@code jobs.nats} configuration does not stop the service: every pipeline built from it fails with
 * the message naming the problem.
 */
@Component(service = Constructor.class, property = Constructor.DRIVER_NAME + "=" + NatsDriver.NAME,
        configurationPid = NatsConstructor.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = NatsConnectionConfig.class)
public final class NatsConstructor implements Constructor {
    private static final Logger LOG = LoggerFactory.getLogger(NatsConstructor.class);

    /** The configuration PID of the server connection. */
    static final String PID = "jobs.nats";

    private final Set<NatsDriver> drivers = ConcurrentHashMap.newKeySet();
    private volatile ConnectionSettings settings;
    private volatile JobsException configurationError;

    /** For DS. */
    public NatsConstructor() {
    }

    @Activate
    void activate(Map<String, Object> properties) {
        try {
            settings = ConnectionSettings.of(properties);
            LOG.info("nats driver ready: server {}{}", settings, settings.tls() ? " over TLS" : "");
        } catch (JobsException e) {
            configurationError = e;
            LOG.error("nats driver: {}; nats pipelines cannot start until it is fixed", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        List<NatsDriver> left = new ArrayList<>(drivers);
        for (NatsDriver driver : left) {
            LOG.info("nats driver going away: stopping pipeline '{}'", driver.pipeline());
            try {
                driver.stop();
            } catch (RuntimeException e) {
                LOG.error("nats driver: pipeline '{}' did not stop cleanly", driver.pipeline(), e);
            }
        }
    }

    @Override
    public String name() {
        return NatsDriver.NAME;
    }

    /**
     * @throws JobsException of kind {@code BAD_INPUT} naming the option when a pipeline option or the
     *         {@code jobs.nats} configuration is malformed, or {@code REJECTED} when the server's stream or consumer
     *         does not fit the pipeline
     */
    @Override
    public Driver create(DriverContext context) {
        Pipeline pipeline = context.pipeline();
        JobsException broken = configurationError;
        if (broken != null) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "pipeline '" + pipeline.name() + "': "
                    + broken.getMessage(), broken);
        }
        NatsDriver driver = new NatsDriver(pipeline, settings, context.queue(), drivers::remove);
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
