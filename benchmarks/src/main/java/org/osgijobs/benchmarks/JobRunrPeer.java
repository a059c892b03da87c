package org.osgijobs.benchmarks;

import java.time.Duration;

import org.jobrunr.configuration.JobRunr;
import org.jobrunr.configuration.JobRunrConfiguration.JobRunrConfigurationResult;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * JobRunr (open-source edition, the version in the pom) as a peer, on the runner's class path (it is not an OSGi
 * bundle here): an {@link InMemoryStorageProvider}, a background job server with the given workers and poll
 * interval, Jackson as its JSON mapper. Each job is the lambda {@code () -> JobRunrJob.run(pushedAt)}, enqueued one
 * by one as a producer enqueues them.
 */
final class JobRunrPeer implements AutoCloseable {
    /** The smallest poll interval JobRunr accepts with its in-memory storage (it refuses less). */
    static final Duration SMALLEST_POLL = Duration.ofMillis(200);
    /** JobRunr's own default. */
    static final Duration DEFAULT_POLL = BackgroundJobServerConfiguration.DEFAULT_POLL_INTERVAL;

    private final JobScheduler scheduler;
    private final BackgroundJobServer server;

    JobRunrPeer(int workers, Duration pollInterval) {
        JobRunrConfigurationResult configured = JobRunr.configure()
                .useJsonMapper(new JacksonJsonMapper())
                .useStorageProvider(new InMemoryStorageProvider())
                .useBackgroundJobServer(BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration()
                        .andWorkerCount(workers).andPollInterval(pollInterval))
                .initialize();
        this.scheduler = configured.getJobScheduler();
        this.server = configured.getBackgroundJobServer();
    }

    /** Enqueues one no-op job stamped with the time just before the call. */
    void enqueue() {
        long pushedAt = System.nanoTime();
        scheduler.enqueue(() -> JobRunrJob.run(pushedAt));
    }

    /** @return JobRunr's version from its jar's manifest */
    static String version() {
        String version = JobRunr.class.getPackage().getImplementationVersion();
        return version == null ? "(version unknown)" : version;
    }

    @Override
    public void close() {
        server.stop();
        JobRunr.destroy();
    }
}
