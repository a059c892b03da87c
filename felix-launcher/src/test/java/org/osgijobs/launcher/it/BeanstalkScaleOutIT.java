package org.osgijobs.launcher.it;

import java.io.IOException;
import java.nio.file.Files;
import java.util.UUID;

/**
 * Two runtimes on one beanstalkd tube: each job runs once in all; after a SIGKILL of one runtime, beanstalkd puts
 * the jobs it had reserved back into the tube as its connections drop (or when their TTR, 5 s here, runs out), and
 * the other runtime runs them.
 */
public class BeanstalkScaleOutIT extends KilledRuntimeScaleOut {
    private final String tube = "launcher-it-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected String driver() {
        return "beanstalk";
    }

    @Override
    protected int port() {
        return 11300;
    }

    @Override
    protected String startHint() {
        return "run .ci/start-beanstalkd";
    }

    @Override
    protected int prefetch() {
        return 10;
    }

    @Override
    protected void configure(Distribution dist, boolean last) throws IOException {
        Files.writeString(dist.conf("jobs.beanstalk.cfg"), "addr=tcp://127.0.0.1:11300\ntimeout=5\n");
        Files.writeString(dist.conf("jobs.pipeline-shared.cfg"), "driver=beanstalk\ntube=" + tube + "\nprefetch="
                + prefetch() + "\nreserve_timeout=1\n");
    }
}
