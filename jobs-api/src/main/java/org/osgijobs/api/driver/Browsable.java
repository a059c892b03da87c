package org.osgijobs.api.driver;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgijobs.api.Message;

/**
 * What a {@link Driver} that can show its stored jobs also implements, so that an operator can look into a
 * pipeline (a dead-letter pipeline above all) and take a job out of it to run it again. Optional: a broker that
 * only delivers (AMQP, SQS) does not implement it, and the runtime then answers that the pipeline's driver cannot
 * list its jobs.
 * <p>
 * Both methods are called on an operator's thread, never on a worker or lifecycle thread, and may do I/O.
 */
@ConsumerType
public interface Browsable {

    /**
     * The jobs the driver stores and has not handed to the runtime, in the order it would deliver them (delayed jobs
     * after the ready ones, by due time), without changing anything.
     *
     * @param limit at most this many, at least 1
     * @return the jobs, with their headers, priority and remaining delay as pushed or last requeued
     */
    List<Message> waiting(int limit);

    /**
     * Takes one waiting job out of the driver for good, as an acknowledgement would.
     *
     * @param id the job's id
     * @return the job, or empty when no waiting job has that id (never pushed, already delivered or removed)
     */
    Optional<Message> remove(String id);
}
