package org.osgijobs.itests.amqp;

import static org.ops4j.pax.exam.CoreOptions.composite;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.itests.ItestBundles;
import org.osgijobs.itests.ItestSupport;
import org.osgijobs.testing.RabbitMqBroker;

/**
 * Base of the AMQP integration tests: the runtime with both drivers, the plain RabbitMQ client bundle for the
 * test's own broker access ({@link RawBroker}), the tests' shared helpers, unique queue and exchange names deleted
 * after each test, and the check that the broker on 127.0.0.1:5672 answers ({@link RabbitMqBroker#assumeReachable()}:
 * a failure under {@code CI=true}, a loud skip otherwise).
 */
public abstract class AmqpItestSupport extends ItestSupport {

    private final List<String> queues = new ArrayList<>();
    private final List<String> exchanges = new ArrayList<>();

    @Override
    protected Option bundles() {
        // test-support after the client: it imports the client optionally, for RabbitMqClient
        return composite(ItestBundles.runtime(), ItestBundles.memoryDriver(), ItestBundles.amqpDriver(),
                amqpClient(), ItestBundles.testSupport());
    }

    /**
     * The plain RabbitMQ client, only for the test's own publishing and inspection (the driver embeds its own):
     * from {@code target/bundles} when the itests pom provides it, else from the local Maven repository.
     */
    static Option amqpClient() {
        File copied = new File(System.getProperty(ItestBundles.BUNDLES_DIR_PROPERTY, "target/bundles"),
                "amqp-client.jar");
        if (copied.isFile()) {
            return CoreOptions.bundle(copied.toURI().toString());
        }
        String repo = System.getProperty("maven.repo.local",
                System.getProperty("user.home") + "/.m2/repository");
        File jar = new File(repo, "com/rabbitmq/amqp-client/5.26.0/amqp-client-5.26.0.jar");
        if (!jar.isFile()) {
            throw new IllegalStateException("the RabbitMQ client bundle is not at " + jar);
        }
        return CoreOptions.bundle(jar.toURI().toString());
    }

    @Before
    public void brokerIsThere() {
        RabbitMqBroker.assumeReachable();
    }

    /** Removes the test's queues and exchanges once its pipelines are gone. */
    @After
    @Override
    public void undoFixtures() {
        try {
            super.undoFixtures();
        } finally {
            RawBroker.deleteAll(queues, exchanges);
            queues.clear();
            exchanges.clear();
        }
    }

    /**
     * Points the amqp driver at another broker address ({@code jobs.amqp}, restored after the test) and waits
     * until the driver service carries that configuration, so that pipelines declared next use it.
     *
     * @param config the {@code jobs.amqp} properties, {@code addr} included
     */
    protected void useBroker(Map<String, ?> config) {
        setConfig("jobs.amqp", config);
        String filter = "(&(" + Constructor.DRIVER_NAME + "=amqp)(addr=" + escape(String.valueOf(config.get("addr")))
                + "))";
        await("the amqp driver uses " + filter, () -> {
            try {
                return !bundleContext.getServiceReferences(Constructor.class, filter).isEmpty();
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new AssertionError(e);
            }
        });
        // the service is visible a moment before the runtime is told of it: wait until a declare works
        String probe = unique("probe");
        String exchange = exchangeName("probe");
        await("the runtime has the reconfigured amqp driver", () -> {
            try {
                jobs().declare(amqpPipeline(probe, "exchange", exchange));
                jobs().destroy(probe);
                return true;
            } catch (org.osgijobs.api.JobsException notYet) {
                return false;
            }
        });
    }

    private static String escape(String value) {
        return value.replace("\\", "\\5c").replace("*", "\\2a").replace("(", "\\28").replace(")", "\\29");
    }

    /** @return a unique queue name, deleted after the test */
    protected String queueName(String prefix) {
        String name = unique(prefix);
        queues.add(name);
        return name;
    }

    /** Registers another queue (a delay queue) for deletion after the test. */
    protected String trackQueue(String name) {
        queues.add(name);
        return name;
    }

    /** @return a unique exchange name, deleted after the test */
    protected String exchangeName(String prefix) {
        String name = unique(prefix);
        exchanges.add(name);
        return name;
    }

    protected static String unique(String prefix) {
        return RabbitMqBroker.unique(prefix);
    }

    /** @return options of an amqp pipeline: name, driver and the given keys and values */
    protected static Map<String, String> amqpPipeline(String name, String... kv) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("name", name);
        options.put("driver", "amqp");
        for (int i = 0; i < kv.length; i += 2) {
            options.put(kv[i], kv[i + 1]);
        }
        return options;
    }
}
