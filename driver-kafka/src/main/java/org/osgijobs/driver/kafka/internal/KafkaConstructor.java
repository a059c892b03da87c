package org.osgijobs.driver.kafka.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.KafkaException;
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
 * The {@code kafka} driver kind: builds one {@link KafkaDriver} per pipeline, all connecting to the brokers of the
 * {@code jobs.kafka} configuration (127.0.0.1:9092 when there is none). A changed configuration
 * re-registers this service, and the runtime rebuilds the pipelines.
 * <p>
 * A malformed {@code jobs.kafka} configuration does not stop the service: every pipeline built from it fails with
 * the message naming the problem.
 */
@Component(service = Constructor.class, property = Constructor.DRIVER_NAME + "=" + KafkaDriver.NAME,
        configurationPid = KafkaConstructor.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = KafkaConnectionConfig.class)
public final class KafkaConstructor implements Constructor {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaConstructor.class);

    /** The configuration PID of the cluster connection. */
    static final String PID = "jobs.kafka";

    private final Set<KafkaDriver> drivers = ConcurrentHashMap.newKeySet();
    private volatile ConnectionSettings settings;
    private volatile JobsException configurationError;

    /** For DS. */
    public KafkaConstructor() {
    }

    @Activate
    void activate(Map<String, Object> properties) {
        try {
            settings = ConnectionSettings.of(properties);
            LOG.info("kafka driver ready: brokers {}{}{}", settings, settings.tls() ? " over TLS" : "",
                    settings.saslMechanism().isEmpty() ? "" : " with SASL " + settings.saslMechanism());
        } catch (JobsException e) {
            configurationError = e;
            LOG.error("kafka driver: {}; kafka pipelines cannot start until it is fixed", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        List<KafkaDriver> left = new ArrayList<>(drivers);
        for (KafkaDriver driver : left) {
            LOG.info("kafka driver going away: stopping pipeline '{}'", driver.pipeline());
            try {
                driver.stop();
            } catch (RuntimeException e) {
                LOG.error("kafka driver: pipeline '{}' did not stop cleanly", driver.pipeline(), e);
            }
        }
    }

    @Override
    public String name() {
        return KafkaDriver.NAME;
    }

    /**
     * @throws JobsException of kind {@code BAD_INPUT} naming the option when a pipeline option or the
     *         {@code jobs.kafka} configuration is malformed
     */
    @Override
    public Driver create(DriverContext context) {
        Pipeline pipeline = context.pipeline();
        JobsException broken = configurationError;
        if (broken != null) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "pipeline '" + pipeline.name() + "': "
                    + broken.getMessage(), broken);
        }
        KafkaDriver driver;
        try {
            driver = new KafkaDriver(pipeline, settings, context.queue(), drivers::remove);
        } catch (KafkaException e) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "pipeline '" + pipeline.name()
                    + "': the Kafka client refuses its settings: " + settings.mask(String.valueOf(e.getMessage())), e);
        }
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
