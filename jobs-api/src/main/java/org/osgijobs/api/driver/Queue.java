package org.osgijobs.api.driver;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The runtime's bounded priority queue, shared by all pipelines and drained by the runtime's workers. A lower
 * {@link Item#priority()} comes out first; equal priorities come out in insertion order.
 */
@ProviderType
public interface Queue {

    /**
     * Inserts a job, waiting while the queue is full (back-pressure). Never call it from a thread that runs jobs
     * (an ack or requeue callback): use {@link #offer(Job)} there.
     *
     * @param job the job
     * @throws InterruptedException when interrupted while waiting
     */
    void insert(Job job) throws InterruptedException;

    /**
     * Inserts a job if there is room now.
     *
     * @param job the job
     * @return {@code false} when the queue is full
     */
    boolean offer(Job job);

    /**
     * Takes the job that comes first, waiting while the queue is empty.
     *
     * @return the job
     * @throws InterruptedException when interrupted while waiting
     */
    Job extractMin() throws InterruptedException;

    /**
     * Withdraws every job of a pipeline that no worker has taken yet.
     *
     * @param pipeline the pipeline's name ({@link Item#groupId()})
     * @return the withdrawn jobs, in the order they would have come out
     */
    List<Job> remove(String pipeline);

    /** @return the number of jobs in the queue */
    int size();

    /** @return how many jobs the queue holds at most */
    int capacity();
}
