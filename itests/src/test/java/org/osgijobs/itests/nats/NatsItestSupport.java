package org.osgijobs.itests.nats;

import static org.ops4j.pax.exam.CoreOptions.composite;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.ops4j.pax.exam.Option;
import org.osgijobs.itests.ItestBundles;
import org.osgijobs.itests.ItestSupport;

/**
 * Base of the NATS integration tests: the runtime with the memory and nats drivers (the latter embeds its client:
 * nothing else to install), unique streams removed after each test (through the driver itself: a pipeline on the
 * stream with {@code delete_stream_on_stop}), and the check that the server on 127.0.0.1:4222 answers (a failure
 * under {@code CI=true}, a loud skip otherwise).
 */
public abstract class NatsItestSupport extends ItestSupport {
    static final String HOST = "127.0.0.1";
    static final int PORT = 4222;

    private final List<String> streams = new ArrayList<>();

    @Override
    protected Option bundles() {
        return composite(ItestBundles.runtime(), ItestBundles.memoryDriver(), ItestBundles.natsDriver(),
                ItestBundles.testSupport());
    }

    @Before
    public void serverIsThere() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2000);
        } catch (IOException e) {
            String message = "NATS is not reachable on " + HOST + ":" + PORT + " (" + e.getMessage()
                    + "): run .ci/start-nats";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: the NATS tests must run)");
            }
            System.err.println("\n**** SKIPPED: " + message + " ****\n");
            Assume.assumeTrue(message, false);
        }
    }

    /** Removes the test's streams once its pipelines are gone. */
    @After
    @Override
    public void undoFixtures() {
        try {
            super.undoFixtures();
        } finally {
            for (String stream : streams) {
                String cleaner = unique("cleanup");
                try {
                    jobs().declare(natsPipeline(cleaner, stream, "delete_stream_on_stop", "true"));
                    jobs().destroy(cleaner);
                } catch (RuntimeException e) {
                    System.err.println("stream " + stream + " not removed: " + e.getMessage());
                }
            }
            streams.clear();
        }
    }

    /** @return a unique stream name, removed after the test */
    protected String streamName(String prefix) {
        String name = unique(prefix);
        streams.add(name);
        return name;
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * @return options of a nats pipeline on the stream (subject {@code jobs.<stream>}): name, driver, stream,
     *         subject and the given keys and values
     */
    protected static Map<String, String> natsPipeline(String name, String stream, String... kv) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("name", name);
        options.put("driver", "nats");
        options.put("stream", stream);
        options.put("subject", "jobs." + stream);
        for (int i = 0; i < kv.length; i += 2) {
            options.put(kv[i], kv[i + 1]);
        }
        return options;
    }
}
