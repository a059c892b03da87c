package org.osgijobs.driver.beanstalk.internal;

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

/**
 * Per test: a raw protocol connection to the test server (127.0.0.1:11300, which {@code .ci/run} starts), drivers
 * built against it, and every tube the test names, emptied afterwards. When the server does not answer, the test
 * fails under {@code CI=true} and is skipped loudly elsewhere.
 */
final class BeanstalkFixture extends ExternalResource {
    static final String HOST = "127.0.0.1";
    static final int PORT = 11300;
    static final long WAIT = 10_000;

    BeanstalkConnection raw;
    private final List<BeanstalkDriver> drivers = new ArrayList<>();
    private final List<String> tubes = new ArrayList<>();

    @Override
    protected void before() throws Throwable {
        assumeReachable(HOST, PORT);
        raw = BeanstalkConnection.open(HOST, PORT, 2000, "test-raw-reader");
    }

    @Override
    protected void after() {
        for (BeanstalkDriver d : drivers) {
            try {
                d.stop();
            } catch (RuntimeException e) {
                // the test may have stopped it
            }
        }
        try (BeanstalkConnection c = BeanstalkConnection.open(HOST, PORT, 2000, "test-cleanup-reader")) {
            for (String tube : tubes) {
                drain(c, tube);
            }
        } catch (IOException e) {
            System.err.println("could not empty the test tubes: " + e);
        }
        raw.close();
    }

    /** Deletes every ready, delayed and buried job of the tube. */
    static void drain(BeanstalkConnection c, String tube) throws IOException {
        c.use(tube, WAIT);
        for (String peek : new String[] { "peek-ready", "peek-delayed", "peek-buried" }) {
            while (true) {
                BeanstalkConnection.Reply r = c.await(c.send(peek, null), WAIT);
                if (!r.status().equals("FOUND")) {
                    break;
                }
                c.await(c.send("delete " + r.id(), null), WAIT);
            }
        }
    }

    /** Fails under CI=true, skips loudly elsewhere, when nothing answers on the port. */
    static void assumeReachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
        } catch (IOException e) {
            String message = "beanstalkd is not reachable on " + host + ":" + port + " (" + e.getMessage()
                    + "): run .ci/start-beanstalkd";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: the beanstalk tests must run)");
            }
            System.err.println("\n**** SKIPPED: " + message + " ****\n");
            Assume.assumeTrue(message, false);
        }
    }

    /** @return a unique tube name, emptied after the test */
    String tube(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        tubes.add(name);
        return name;
    }

    /** @return pipeline options: name, driver, a unique tube, and the given keys and values */
    Map<String, Object> options(String name, String... kv) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("name", name);
        options.put("driver", "beanstalk");
        options.put("timeout", "10");
        options.put("reserve_timeout", "1");
        options.put("tube", tube("t"));
        for (int i = 0; i < kv.length; i += 2) {
            options.put(kv[i], kv[i + 1]);
        }
        return options;
    }

    /** Builds and starts a driver, stopped after the test. */
    BeanstalkDriver driver(Queue queue, ConnectionSettings settings, Map<String, Object> options) {
        BeanstalkDriver d = new BeanstalkDriver(Pipeline.of(options), settings, queue, stopped -> {
        });
        drivers.add(d);
        d.start();
        return d;
    }

    BeanstalkDriver driver(Queue queue, Map<String, Object> options) {
        return driver(queue, ConnectionSettings.of(HOST, PORT, 30), options);
    }

    /** @return the tube's statistics */
    Map<String, String> stats(String tube) throws IOException {
        return raw.statsTube(tube, WAIT);
    }

    long count(String tube, String key) throws IOException {
        return Long.parseLong(stats(tube).getOrDefault(key, "0"));
    }
}
