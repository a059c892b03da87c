package org.osgijobs.core.internal;

import java.util.List;

import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Queue;

/**
 * One pipeline's view of the shared {@link PriorityJobQueue}: what its driver gets. A driver can only put in and take
 * back jobs of its own pipeline, so a bug in one driver cannot withdraw another pipeline's jobs.
 */
final class PipelineQueue implements Queue {
    private final String pipeline;
    private final PriorityJobQueue shared;

    PipelineQueue(String pipeline, PriorityJobQueue shared) {
        this.pipeline = pipeline;
        this.shared = shared;
    }

    @Override
    public String pipeline() {
        return pipeline;
    }

    @Override
    public void insert(Job job) throws InterruptedException {
        shared.insert(checked(job));
    }

    @Override
    public boolean offer(Job job) {
        return shared.offer(checked(job));
    }

    @Override
    public List<Job> withdraw() {
        return shared.remove(pipeline);
    }

    @Override
    public int size() {
        return shared.size();
    }

    @Override
    public int capacity() {
        return shared.capacity();
    }

    private Job checked(Job job) {
        if (!pipeline.equals(job.groupId())) {
            throw new IllegalArgumentException("pipeline '" + pipeline + "': its driver put in job " + job.id()
                    + " of pipeline '" + job.groupId() + "'");
        }
        return job;
    }

    @Override
    public String toString() {
        return "queue of pipeline '" + pipeline + "'";
    }
}
