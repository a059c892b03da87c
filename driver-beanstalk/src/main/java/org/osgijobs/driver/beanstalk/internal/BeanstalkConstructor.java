package org.osgijobs.driver.beanstalk.internal;

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
 * The {@code beanstalk} driver kind: builds one {@link BeanstalkDriver} per pipeline, all on the beanstalkd server
 * of the {@code jobs.beanstalk} configuration (RoadRunner's default address when there is none). A changed
 * configuration re-registers this service, and the runtime rebuilds the pipelines. A malformed configuration does
 * not stop the service: every pipeline built from it fails with the message naming the problem.
 */
@Component(service = Constructor.class, property = Constructor.DRIVER_NAME + "=" + BeanstalkDriver.NAME,
        configurationPid = ConnectionSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = BeanstalkConnectionConfig.class)
public final class BeanstalkConstructor implements Constructor {
    private static final Logger LOG = LoggerFactory.getLogger(BeanstalkConstructor.class);

    private final Set<BeanstalkDriver> drivers = ConcurrentHashMap.newKeySet();
    private volatile ConnectionSettings settings;
    private volatile JobsException configurationError;

    /** For DS. */
    public BeanstalkConstructor() {
    }

    @Activate
    void activate(Map<String, Object> properties) {
        try {
            settings = ConnectionSettings.of(properties);
            LOG.info("beanstalk driver ready: beanstalkd at {}, TTR {} s", settings, settings.ttrSeconds);
        } catch (JobsException e) {
            configurationError = e;
            LOG.error("beanstalk driver: {}; beanstalk pipelines cannot start until it is fixed", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        for (BeanstalkDriver driver : new ArrayList<>(drivers)) {
            LOG.info("beanstalk driver going away: stopping pipeline '{}'", driver.pipeline());
            try {
                driver.stop();
            } catch (RuntimeException e) {
                LOG.error("beanstalk driver: pipeline '{}' did not stop cleanly", driver.pipeline(), e);
            }
        }
    }

    @Override
    public String name() {
        return BeanstalkDriver.NAME;
    }

    /**
     * @throws JobsException of kind {@code BAD_INPUT} naming the option when a pipeline option or the
     *         {@code jobs.beanstalk} configuration is malformed
     */
    @Override
    public Driver create(DriverContext context) {
        Pipeline pipeline = context.pipeline();
        JobsException broken = configurationError;
        if (broken != null) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "pipeline '" + pipeline.name() + "': "
                    + broken.getMessage(), broken);
        }
        BeanstalkDriver driver = new BeanstalkDriver(pipeline, settings, context.queue(), drivers::remove);
        drivers.add(driver);
        driver.start();
        return driver;
    }

    /** @return the drivers built and not stopped (for tests) */
    List<BeanstalkDriver> drivers() {
        return List.copyOf(drivers);
    }
}
