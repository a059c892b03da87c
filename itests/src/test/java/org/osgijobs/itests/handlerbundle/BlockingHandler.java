package org.osgijobs.itests.handlerbundle;

import org.osgijobs.api.handler.JobContext;
import org.osgijobs.api.handler.JobHandler;

/**
 * The handler of the test handler bundle that {@code HandlerDepartureIT} builds, installs, stops and starts. It
 * lives in that bundle, not in the test's, so it talks to the test through system properties (one JVM): it counts
 * its runs of each job, blocks while {@link #BLOCK} is {@code true} (until the runtime cancels it), and records
 * the jobs it completed.
 */
public final class BlockingHandler implements JobHandler {
    /** While this system property is {@code true}, runs block until cancelled. */
    public static final String BLOCK = "itests.handlerbundle.block";
    /** Prefix of the system property counting the runs of a job in this handler. */
    public static final String STARTED = "itests.handlerbundle.started.";
    /** Prefix of the system property set when this handler completed a job. */
    public static final String COMPLETED = "itests.handlerbundle.completed.";
    /** Longest a run blocks when nothing cancels it, so that a broken runtime fails the test instead of hanging. */
    private static final long MAX_BLOCK_MILLIS = 60_000;

    @Override
    public void handle(JobContext job) throws InterruptedException {
        synchronized (BlockingHandler.class) {
            int started = Integer.getInteger(STARTED + job.id(), 0);
            System.setProperty(STARTED + job.id(), Integer.toString(started + 1));
        }
        long end = System.currentTimeMillis() + MAX_BLOCK_MILLIS;
        while (Boolean.getBoolean(BLOCK) && System.currentTimeMillis() < end) {
            if (job.isCancelled()) {
                throw new InterruptedException("cancelled by the runtime");
            }
            Thread.sleep(10);
        }
        System.setProperty(COMPLETED + job.id(), "true");
    }
}
