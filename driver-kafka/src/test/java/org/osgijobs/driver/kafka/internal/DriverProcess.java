package org.osgijobs.driver.kafka.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgijobs.api.driver.Job;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Settlement;
import org.osgijobs.testing.SharedTestQueue;

/**
 * A runtime in a child JVM, for the tests that kill one with SIGKILL: a kafka driver consuming pipeline {@code p}
 * with two workers. Each job prints {@code RAN <id>} when it starts and {@code ACKED <id>} once acknowledged; the
 * job whose id is the "block" argument never finishes (a handler stuck when the process dies). Other jobs take the
 * given milliseconds.
 * <p>
 * Arguments: brokers, topic, group, prefetch, block id (or {@code -}), milliseconds per job.
 */
public final class DriverProcess {

    private DriverProcess() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", "p");
        o.put("driver", "kafka");
        o.put("timeout", "10");
        o.put("consumer_options.topics", args[1]);
        o.put("group_options.group_id", args[2]);
        o.put("prefetch", args[3]);
        o.put("consumer_properties.session.timeout.ms", "2000");
        o.put("consumer_properties.heartbeat.interval.ms", "500");
        String block = args[4];
        long millis = Long.parseLong(args[5]);
        SharedTestQueue queue = new SharedTestQueue("p");
        KafkaDriver d = new KafkaDriver(Pipeline.of(o), ConnectionSettings.of(Map.of("brokers", args[0])), queue,
                x -> {
                });
        d.start();
        d.run(Pipeline.of(o));
        System.out.println("STARTED");
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> {
                while (true) {
                    Job job;
                    try {
                        job = queue.take();
                    } catch (InterruptedException e) {
                        return;
                    }
                    say("RAN " + job.id());
                    try {
                        if (job.id().equals(block)) {
                            say("BLOCKED " + job.id() + " " + job.headers().get(WireFormat.OFFSET).get(0));
                            Thread.sleep(Long.MAX_VALUE);
                        }
                        if (millis > 0) {
                            Thread.sleep(millis);
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    job.settle(Settlement.ack());
                    say("ACKED " + job.id());
                }
            }, "child-worker-" + i);
            t.start();
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
