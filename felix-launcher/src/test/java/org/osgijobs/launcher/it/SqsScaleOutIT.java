package org.osgijobs.launcher.it;

import java.io.IOException;
import java.nio.file.Files;
import java.util.UUID;

/**
 * Two runtimes on one SQS queue (ElasticMQ on this machine): each job runs once in all; after a SIGKILL of one
 * runtime, the messages it had received become visible again when their visibility timeout (3 s here) runs out,
 * and the other runtime runs them.
 */
public class SqsScaleOutIT extends KilledRuntimeScaleOut {
    private final String queue = "launcher-it-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected String driver() {
        return "sqs";
    }

    @Override
    protected int port() {
        return 9324;
    }

    @Override
    protected String startHint() {
        return "run .ci/start-elasticmq";
    }

    @Override
    protected int prefetch() {
        return 10;
    }

    @Override
    protected void configure(Distribution dist, boolean last) throws IOException {
        Files.writeString(dist.conf("jobs.sqs.cfg"), "endpoint=http://127.0.0.1:9324\nregion=elasticmq\n"
                + "key=x\nsecret=x\n");
        Files.writeString(dist.conf("jobs.pipeline-shared.cfg"), "driver=sqs\nqueue=" + queue + "\nprefetch="
                + prefetch() + "\nvisibility_timeout=3\nwait_time_seconds=1\n");
    }
}
