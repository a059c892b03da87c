package org.osgijobs.itests.sqs;

import static org.ops4j.pax.exam.CoreOptions.composite;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.Assume;
import org.junit.Before;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.InvalidSyntaxException;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.itests.ItestBundles;
import org.osgijobs.itests.ItestSupport;

/**
 * Base of the SQS integration tests: the runtime with the sqs driver and, deliberately, nothing else it could lean on:
 * jobs-api, SLF4J (the logging option), Declarative Services and Configuration Admin (no Event Admin, no Metatype),
 * so that a test passing here shows the bundle resolves and works with only those. The server is ElasticMQ on
 * 127.0.0.1:9324 ({@code .ci/start-elasticmq}): a failure under {@code CI=true} when it does not answer, a loud skip
 * otherwise. Queues have unique names; the shared test server keeps them in memory until it stops.
 */
public abstract class SqsItestSupport extends ItestSupport {
    static final String HOST = "127.0.0.1";
    static final int PORT = 9324;
    static final String ENDPOINT = "http://" + HOST + ":" + PORT;

    @Override
    protected Option bundles() {
        return composite(ItestBundles.logging(), ItestBundles.declarativeServices(), ItestBundles.configAdmin(),
                ItestBundles.jobsApi(), ItestBundles.jobsCore(), ItestBundles.bundleOf("driver-sqs"),
                ItestBundles.testSupport());
    }

    @Before
    public void serverIsThere() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2000);
        } catch (IOException e) {
            String message = "ElasticMQ (SQS) is not reachable on " + HOST + ":" + PORT + " (" + e.getMessage()
                    + "): run .ci/start-elasticmq";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: the SQS tests must run)");
            }
            System.err.println("\n**** SKIPPED: " + message + " ****\n");
            Assume.assumeTrue(message, false);
        }
        setConfig("jobs.sqs", Map.of("endpoint", ENDPOINT, "region", "elasticmq", "key", "itest",
                "secret", "itest-secret"));
        // the constructor re-registers with its configuration: wait for the one that has it
        await("the sqs driver configured for " + ENDPOINT, () -> {
            try {
                return !bundleContext.getServiceReferences(Constructor.class, "(&(" + Constructor.DRIVER_NAME
                        + "=sqs)(endpoint=" + ENDPOINT + "))").isEmpty();
            } catch (InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
        });
        // and for the runtime to have taken it (it records registrations on a thread of its own): a pipeline with
        // a bad option is refused by the driver, naming the option, once the runtime knows the driver
        await("the runtime knows the sqs driver", () -> {
            try {
                jobs().declare(sqsPipeline(unique("probe"), unique("probe"), "wait_time_seconds", "99"));
                throw new IllegalStateException("a pipeline with wait_time_seconds=99 was declared");
            } catch (JobsException e) {
                return e.getMessage().contains("wait_time_seconds");
            }
        });
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** @return options of an sqs pipeline on the queue: name, driver, queue, long polling, and the given keys and values */
    protected static Map<String, String> sqsPipeline(String name, String queue, String... kv) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("name", name);
        options.put("driver", "sqs");
        options.put("queue", queue);
        options.put("prefetch", "10");
        options.put("max_messages_in_flight", "20");
        options.put("wait_time_seconds", "1");
        for (int i = 0; i < kv.length; i += 2) {
            options.put(kv[i], kv[i + 1]);
        }
        return options;
    }
}
