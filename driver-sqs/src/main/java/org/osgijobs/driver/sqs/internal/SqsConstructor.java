package org.osgijobs.driver.sqs.internal;

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

import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The {@code sqs} driver kind: builds one {@link SqsDriver} per pipeline, all sharing one SQS client made from the
 * {@code jobs.sqs} configuration (AWS's defaults when there is none). A changed configuration re-registers this
 * service, and the runtime rebuilds the pipelines.
 * <p>
 * A malformed {@code jobs.sqs} configuration does not stop the service: every pipeline built from it fails with the
 * message naming the problem.
 */
@Component(service = Constructor.class, property = Constructor.DRIVER_NAME + "=" + SqsDriver.NAME,
        configurationPid = SqsConstructor.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SqsConnectionConfig.class)
public final class SqsConstructor implements Constructor {
    private static final Logger LOG = LoggerFactory.getLogger(SqsConstructor.class);

    /** The configuration PID of the SQS connection. */
    static final String PID = "jobs.sqs";
    /** The client's default call timeout; a pipeline's own {@code timeout} applies to its sends. */
    static final int CLIENT_TIMEOUT_SECONDS = 60;

    private final Set<SqsDriver> drivers = ConcurrentHashMap.newKeySet();
    private volatile ConnectionSettings settings;
    private volatile SqsClient client;
    private volatile JobsException configurationError;

    /** For DS. */
    public SqsConstructor() {
    }

    @Activate
    void activate(Map<String, Object> properties) {
        try {
            settings = ConnectionSettings.of(properties);
            client = settings.client(CLIENT_TIMEOUT_SECONDS);
            LOG.info("sqs driver ready: {}", settings);
        } catch (JobsException e) {
            configurationError = e;
            LOG.error("sqs driver: {}; sqs pipelines cannot start until it is fixed", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        List<SqsDriver> left = new ArrayList<>(drivers);
        for (SqsDriver driver : left) {
            LOG.info("sqs driver going away: stopping pipeline '{}'", driver.pipeline());
            try {
                driver.stop();
            } catch (RuntimeException e) {
                LOG.error("sqs driver: pipeline '{}' did not stop cleanly", driver.pipeline(), e);
            }
        }
        SqsClient c = client;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public String name() {
        return SqsDriver.NAME;
    }

    /**
     * @throws JobsException of kind {@code BAD_INPUT} naming the option when a pipeline option or the
     *         {@code jobs.sqs} configuration is malformed, or {@code REJECTED} when the server refuses the queue
     */
    @Override
    public Driver create(DriverContext context) {
        Pipeline pipeline = context.pipeline();
        JobsException broken = configurationError;
        if (broken != null) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "pipeline '" + pipeline.name() + "': "
                    + broken.getMessage(), broken);
        }
        SqsDriver driver = new SqsDriver(pipeline, client, settings.endpointName(), context.queue(),
                drivers::remove);
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
