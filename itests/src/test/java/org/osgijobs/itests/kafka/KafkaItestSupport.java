package org.osgijobs.itests.kafka;

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
import org.osgijobs.itests.ItestBundles;
import org.osgijobs.itests.ItestSupport;

/**
 * Base of the Kafka integration tests: the runtime with the memory and kafka drivers (the latter embeds
 * kafka-clients: nothing else to install), unique topics per test (created by the driver,
 * {@code auto_create_topics_enable}), and the check that the broker on 127.0.0.1:9092 answers (a failure under
 * {@code CI=true}, a loud skip otherwise).
 */
public abstract class KafkaItestSupport extends ItestSupport {
    static final String HOST = "127.0.0.1";
    static final int PORT = 9092;

    @Override
    protected Option bundles() {
        return composite(ItestBundles.runtime(), ItestBundles.memoryDriver(), ItestBundles.bundleOf("driver-kafka"),
                ItestBundles.testSupport());
    }

    @Before
    public void brokerIsThere() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2000);
        } catch (IOException e) {
            String message = "Kafka is not reachable on " + HOST + ":" + PORT + " (" + e.getMessage()
                    + "): run .ci/start-kafka";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: the Kafka tests must run)");
            }
            System.err.println("\n**** SKIPPED: " + message + " ****\n");
            Assume.assumeTrue(message, false);
        }
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * @return options of a kafka pipeline on a new topic with a new consumer group: name, driver, topic, group,
     *         topic creation, and the given keys and values
     */
    protected static Map<String, String> kafkaPipeline(String name, String... kv) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("name", name);
        options.put("driver", "kafka");
        options.put("consumer_options.topics", unique("it-" + name));
        options.put("group_options.group_id", unique("it-group"));
        options.put("auto_create_topics_enable", "true");
        options.put("topic_partitions", "2");
        for (int i = 0; i < kv.length; i += 2) {
            options.put(kv[i], kv[i + 1]);
        }
        return options;
    }
}
