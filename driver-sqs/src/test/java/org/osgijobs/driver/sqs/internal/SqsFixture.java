package org.osgijobs.driver.sqs.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.Assume;
import org.junit.rules.ExternalResource;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;

import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Per test: an SQS client for the test server (ElasticMQ on 127.0.0.1:9324, which {@code .ci/start-elasticmq}
 * starts), drivers built against it, and every queue the test names, deleted afterwards. When the server does not
 * answer, the test fails under {@code CI=true} and is skipped loudly elsewhere.
 */
final class SqsFixture extends ExternalResource {
    static final String HOST = "127.0.0.1";
    static final int PORT = 9324;
    static final String ENDPOINT = "http://" + HOST + ":" + PORT;

    SqsClient raw;
    private final List<SqsDriver> drivers = new ArrayList<>();
    private final List<String> queues = new ArrayList<>();
    private final List<SqsClient> clients = new ArrayList<>();

    @Override
    protected void before() {
        assumeReachable(HOST, PORT);
        raw = client(ENDPOINT);
    }

    @Override
    protected void after() {
        for (SqsDriver d : drivers) {
            try {
                d.stop();
            } catch (RuntimeException e) {
                // the test may have stopped it
            }
        }
        for (String q : queues) {
            try {
                String url = raw.getQueueUrl(b -> b.queueName(q)).queueUrl();
                raw.deleteQueue(b -> b.queueUrl(url));
            } catch (RuntimeException e) {
                // never created
            }
        }
        clients.forEach(SqsClient::close);
    }

    /** Fails under CI=true, skips loudly elsewhere, when nothing answers on the port. */
    static void assumeReachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
        } catch (IOException e) {
            String message = "ElasticMQ (SQS) is not reachable on " + host + ":" + port + " (" + e.getMessage()
                    + "): run .ci/start-elasticmq";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: the SQS tests must run)");
            }
            System.err.println("\n**** SKIPPED: " + message + " ****\n");
            Assume.assumeTrue(message, false);
        }
    }

    /** @return a client for an endpoint with dummy credentials, closed after the test */
    SqsClient client(String endpoint) {
        SqsClient c = settings(endpoint).client(30);
        clients.add(c);
        return c;
    }

    static ConnectionSettings settings(String endpoint) {
        return ConnectionSettings.of(Map.of("endpoint", endpoint, "region", "elasticmq", "key", "test-key",
                "secret", "test-secret"));
    }

    /** @return a unique queue name (with {@code .fifo} when asked), deleted after the test */
    String queue(String prefix, boolean fifo) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + (fifo ? ".fifo" : "");
        queues.add(name);
        return name;
    }

    String url(String queue) {
        return raw.getQueueUrl(b -> b.queueName(queue)).queueUrl();
    }

    /** @return pipeline options: name, driver, a unique queue, short timeouts, and the given keys and values */
    Map<String, Object> options(String name, String... kv) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("name", name);
        options.put("driver", "sqs");
        options.put("timeout", "10");
        options.put("queue", queue("q", false));
        options.put("prefetch", "10");
        options.put("max_messages_in_flight", "50");
        options.put("wait_time_seconds", "1");
        for (int i = 0; i < kv.length; i += 2) {
            options.put(kv[i], kv[i + 1]);
        }
        return options;
    }

    /** Builds and starts a driver with its own client (a "runtime"), stopped after the test. */
    SqsDriver driver(Queue queue, SqsClient client, Map<String, Object> options) {
        SqsDriver d = new SqsDriver(Pipeline.of(options), client, ENDPOINT, queue, stopped -> {
        });
        drivers.add(d);
        d.start();
        return d;
    }

    SqsDriver driver(Queue queue, Map<String, Object> options) {
        return driver(queue, raw, options);
    }
}
