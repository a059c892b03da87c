package org.osgijobs.driver.nats.internal;

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

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;

/**
 * Per test: a plain jnats connection to the test server (127.0.0.1:4222, which {@code .ci/run} starts), drivers
 * built against it, and every stream the test names, deleted afterwards. When the server does not answer, the test
 * fails under {@code CI=true} and is skipped loudly elsewhere.
 */
final class NatsFixture extends ExternalResource {
    static final String HOST = "127.0.0.1";
    static final int PORT = 4222;
    static final String ADDR = "nats://" + HOST + ":" + PORT;

    Connection raw;
    JetStream js;
    JetStreamManagement jsm;
    private final List<NatsDriver> drivers = new ArrayList<>();
    private final List<String> streams = new ArrayList<>();

    @Override
    protected void before() throws Throwable {
        assumeReachable(HOST, PORT);
        raw = Nats.connect(new Options.Builder().server(ADDR).errorListener(new io.nats.client.ErrorListener() {
        }).build());
        js = raw.jetStream();
        jsm = raw.jetStreamManagement();
    }

    @Override
    protected void after() {
        for (NatsDriver d : drivers) {
            try {
                d.stop();
            } catch (RuntimeException e) {
                // the test may have stopped it
            }
        }
        for (String s : streams) {
            try {
                jsm.deleteStream(s);
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                // deleted by the test (delete_stream_on_stop) or never created
            }
        }
        try {
            raw.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fails under CI=true, skips loudly elsewhere, when nothing answers on the port. */
    static void assumeReachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            return;
        } catch (IOException e) {
            String message = "NATS is not reachable on " + host + ":" + port + " (" + e.getMessage()
                    + "): run .ci/start-nats";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: the NATS tests must run)");
            }
            System.err.println("\n**** SKIPPED: " + message + " ****\n");
            Assume.assumeTrue(message, false);
        }
    }

    /** @return {@code prefix-} and 8 random hex digits: a name no other test uses */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** @return a unique stream name, deleted after the test */
    String stream(String prefix) {
        String name = unique(prefix);
        streams.add(name);
        return name;
    }

    /** @return pipeline options: name, driver, a unique stream and subject, and the given keys and values */
    Map<String, Object> options(String name, String... kv) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("name", name);
        options.put("driver", "nats");
        options.put("timeout", "10");
        String stream = stream("s");
        options.put("stream", stream);
        options.put("subject", "subj." + stream);
        for (int i = 0; i < kv.length; i += 2) {
            options.put(kv[i], kv[i + 1]);
        }
        return options;
    }

    /** Builds and starts a driver against the test server (or the given settings), stopped after the test. */
    NatsDriver driver(Queue queue, ConnectionSettings settings, Map<String, Object> options) {
        NatsDriver d = new NatsDriver(Pipeline.of(options), settings, queue, stopped -> {
        });
        drivers.add(d);
        d.start();
        return d;
    }

    NatsDriver driver(Queue queue, Map<String, Object> options) {
        return driver(queue, ConnectionSettings.of(Map.of("addr", ADDR)), options);
    }
}
