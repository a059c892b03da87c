package org.osgijobs.itests.amqp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.driver.Custody;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.DriverContext;
import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.itests.ItestBundles;

/**
 * The driver bundle alone on plain Felix with only jobs-api, SLF4J, SCR, Configuration Admin and Jackson: it resolves,
 * registers its constructor, and its embedded client stores and delivers a job.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AmqpMinimalFrameworkIT extends AmqpItestSupport {

    @Override
    protected Option bundles() {
        // test-support is the probe's (AmqpItestSupport's broker check), nothing the driver imports
        return CoreOptions.composite(ItestBundles.logging(), ItestBundles.declarativeServices(),
                ItestBundles.configAdmin(), ItestBundles.jobsApi(), ItestBundles.amqpDriver(),
                ItestBundles.testSupport());
    }

    /** The smallest queue a driver can feed. */
    private static final class FifoQueue implements Queue {
        private final LinkedBlockingQueue<Job> jobs = new LinkedBlockingQueue<>();

        @Override
        public void insert(Job job) {
            jobs.add(job);
        }

        @Override
        public boolean offer(Job job) {
            return jobs.offer(job);
        }

        @Override
        public String pipeline() {
            return "minimal";
        }

        @Override
        public List<Job> withdraw() {
            List<Job> removed = new ArrayList<>();
            jobs.removeIf(removed::add);
            return removed;
        }

        @Override
        public int size() {
            return jobs.size();
        }

        @Override
        public int capacity() {
            return Integer.MAX_VALUE;
        }
    }

    @Test
    public void resolvesAndWorksWithNothingButItsMinimalNeighbours() throws Exception {
        Bundle driverBundle = bundle("org.osgijobs.driver-amqp");
        assertEquals(stateName(Bundle.ACTIVE), stateName(driverBundle.getState()));
        Constructor constructor = service(Constructor.class);
        assertEquals("amqp", constructor.name());

        // no plain client here to clean up with: the pipeline removes its queue and exchange itself
        String q = unique("minimal");
        FifoQueue queue = new FifoQueue();
        Pipeline pipeline = Pipeline.of(Map.of("name", "minimal", "driver", "amqp", "queue", q, "routing_key", q,
                "exchange", unique("minimal"), "delete_queue_on_stop", "true", "exchange_auto_delete", "true",
                "timeout", "30"));
        Driver driver = constructor.create(new DriverContext() {
            @Override
            public Pipeline pipeline() {
                return pipeline;
            }

            @Override
            public String configKey() {
                return null;
            }

            @Override
            public Queue queue() {
                return queue;
            }

            @Override
            public int timeoutSeconds() {
                return 30;
            }
        });
        try {
            driver.push(Message.builder("tiny").id("m1").pipeline("minimal").build()).toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            driver.run(Pipeline.of(Map.of("name", "minimal", "driver", "amqp")));
            Job job = queue.jobs.poll(30, TimeUnit.SECONDS);
            assertNotNull(job);
            assertEquals("m1", job.id());
            assertEquals(Custody.DONE, job.settle(Settlement.ack()));
        } finally {
            driver.stop();
        }
    }
}
