package org.osgijobs.api.driver;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One pipeline's view of the runtime's bounded priority queue, which all pipelines share and the runtime's workers
 * drain. A driver moves its ready jobs in and takes back the ones no worker has taken yet. A lower
 * {@link Item#priority()} comes out first; equal priorities come out in insertion order.
 */
@ProviderType
public interface Queue {

    /** @return the pipeline this view belongs to: jobs put in must have it as their {@link Item#groupId()} */
    String pipeline();

    /**
     * Inserts a job, waiting while the queue is full (back-pressure). Only for a thread of the driver's own (a
     * broker's consumer); never from a push or a settlement, which must not block: use {@link #offer(Job)} there.
     *
     * @param job a job of this pipeline
     * @throws InterruptedException when interrupted while waiting
     * @throws IllegalArgumentException when the job belongs to another pipeline
     */
    void insert(Job job) throws InterruptedException;

    /**
     * Inserts a job if there is room now.
     *
     * @param job a job of this pipeline
     * @return {@code false} when the queue is full
     * @throws IllegalArgumentException when the job belongs to another pipeline
     */
    boolean offer(Job job);

    /**
     * Takes back every job of this pipeline that no worker has taken yet (pause, stop, reconnect). A job of this
     * pipeline that another driver instance left there (a push that raced its stop) may be among them.
     *
     * @return the withdrawn jobs, in the order they would have come out
     */
    List<Job> withdraw();

    /** @return the number of jobs in the whole queue */
    int size();

    /** @return how many jobs the whole queue holds at most */
    int capacity();
}
