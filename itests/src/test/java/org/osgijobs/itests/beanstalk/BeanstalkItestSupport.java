package org.osgijobs.itests.beanstalk;

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
 * Base of the beanstalk integration tests: the runtime with the memory and beanstalk drivers (the latter speaks the
 * protocol itself: nothing else to install), unique tubes (a tube exists only while it holds jobs or is used, so an
 * emptied one leaves nothing behind), and the check that beanstalkd on 127.0.0.1:11300 answers (a failure under
 * {@code CI=true}, a loud skip otherwise).
 */
public abstract class BeanstalkItestSupport extends ItestSupport {
    static final String HOST = "127.0.0.1";
    static final int PORT = 11300;

    @Override
    protected Option bundles() {
        return composite(ItestBundles.runtime(), ItestBundles.memoryDriver(),
                ItestBundles.bundleOf("driver-beanstalk"), ItestBundles.testSupport());
    }

    @Before
    public void serverIsThere() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, PORT), 2000);
        } catch (IOException e) {
            String message = "beanstalkd is not reachable on " + HOST + ":" + PORT + " (" + e.getMessage()
                    + "): run .ci/start-beanstalkd";
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(message + " (CI=true: the beanstalk tests must run)");
            }
            System.err.println("\n**** SKIPPED: " + message + " ****\n");
            Assume.assumeTrue(message, false);
        }
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** @return options of a beanstalk pipeline on the tube: name, driver, tube and the given keys and values */
    protected static Map<String, String> beanstalkPipeline(String name, String tube, String... kv) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("name", name);
        options.put("driver", "beanstalk");
        options.put("tube", tube);
        options.put("reserve_timeout", "1");
        for (int i = 0; i < kv.length; i += 2) {
            options.put(kv[i], kv[i + 1]);
        }
        return options;
    }
}
