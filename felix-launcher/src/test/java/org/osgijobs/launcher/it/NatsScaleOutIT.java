package org.osgijobs.launcher.it;

import java.io.IOException;
import java.nio.file.Files;
import java.util.UUID;

/**
 * Two runtimes on one NATS pipeline: its durable consumer is shared, so each job runs once in all; after a SIGKILL
 * of one runtime the other runs the rest once {@code ack_wait} (3 s here) gives the killed one's jobs back.
 * RoadRunner's NATS driver gives every instance every message.
 */
public class NatsScaleOutIT extends KilledRuntimeScaleOut {
    private final String stream = "launcher-it-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected String driver() {
        return "nats";
    }

    @Override
    protected int port() {
        return 4222;
    }

    @Override
    protected String startHint() {
        return "run .ci/start-nats";
    }

    @Override
    protected int prefetch() {
        return 10;
    }

    @Override
    protected void configure(Distribution dist, boolean last) throws IOException {
        // the second runtime removes the test's stream when it stops at the end
        Files.writeString(dist.conf("jobs.pipeline-shared.cfg"), "driver=nats\nstream=" + stream
                + "\nsubject=jobs." + stream + "\nprefetch=" + prefetch() + "\nack_wait=3\n"
                + (last ? "delete_stream_on_stop=true\n" : ""));
    }
}
