package org.osgijobs.driver.amqp.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgijobs.api.Message;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.testing.RabbitMqBroker;
import org.osgijobs.testing.RabbitMqClient;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import org.osgijobs.testing.SharedTestQueue;

/**
 * An informal measurement, not a test: confirmed persistent publishes per second through the driver's
 * asynchronous push (a window of unconfirmed publishes) against the plain client doing the same work (same
 * window, same headers, persistent, mandatory, confirms). Run with the test classpath:
 * {@code java -cp ... org.osgijobs.driver.amqp.internal.PushThroughputBenchmark [messages] [window] [rounds]}.
 */
public final class PushThroughputBenchmark {

    private PushThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String queue = RabbitMqBroker.unique("bench");
        try (Connection raw = RabbitMqClient.connect("driver-amqp-test")) {
            Channel admin = raw.createChannel();
            admin.exchangeDeclare("bench.ex", "direct", true);
            admin.queueDeclare(queue, true, false, false, null);
            admin.queueBind(queue, "bench.ex", queue);
            AmqpDriver driver = new AmqpDriver(Pipeline.of(Map.of("name", "bench", "driver", "amqp", "exchange",
                    "bench.ex", "exchange_durable", "true", "routing_key", queue, "publish_window",
                    String.valueOf(window))), ConnectionSettings.of(Map.of("addr", RabbitMqBroker.ADDR)),
                    new SharedTestQueue("bench"), d -> {
                    });
            driver.start();
            List<Double> ratios = new ArrayList<>();
            // one warm-up round of each, not counted
            rawRound(raw, queue, Math.min(messages, 5000), window);
            driverRound(driver, Math.min(messages, 5000));
            admin.queuePurge(queue);
            for (int r = 1; r <= rounds; r++) {
                double plain = rawRound(raw, queue, messages, window);
                admin.queuePurge(queue);
                double ours = driverRound(driver, messages);
                admin.queuePurge(queue);
                ratios.add(ours / plain);
                System.out.printf("round %d: plain client %.0f msg/s, driver %.0f msg/s, ratio %.2f%n", r, plain,
                        ours, ours / plain);
            }
            Collections.sort(ratios);
            System.out.printf("median ratio driver/plain over %d rounds of %d confirmed persistent publishes,"
                    + " window %d: %.2f%n", rounds, messages, window, ratios.get(ratios.size() / 2));
            driver.stop();
            admin.queueDelete(queue);
            admin.exchangeDelete("bench.ex");
        }
    }

    private static double rawRound(Connection raw, String queue, int messages, int window) throws Exception {
        Channel ch = raw.createChannel();
        ch.confirmSelect();
        Semaphore inFlight = new Semaphore(window);
        ConcurrentSkipListMap<Long, Boolean> pending = new ConcurrentSkipListMap<>();
        CountDownLatch done = new CountDownLatch(messages);
        AtomicInteger nacks = new AtomicInteger();
        ch.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long tag, boolean multiple) {
                settle(tag, multiple);
            }

            @Override
            public void handleNack(long tag, boolean multiple) {
                nacks.incrementAndGet();
                settle(tag, multiple);
            }

            private void settle(long tag, boolean multiple) {
                ConcurrentNavigableMap<Long, Boolean> covered = multiple ? pending.headMap(tag, true)
                        : pending.subMap(tag, true, tag, true);
                for (Long t : covered.keySet()) {
                    if (pending.remove(t) != null) {
                        inFlight.release();
                        done.countDown();
                    }
                }
            }
        });
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            Message m = Message.builder("bench").pipeline("bench").payload("0123456789abcdef0123456789abcdef")
                    .build();
            AMQP.BasicProperties props = WireFormat.properties(m, "bench", 10, m.headers());
            inFlight.acquire();
            pending.put(ch.getNextPublishSeqNo(), Boolean.TRUE);
            ch.basicPublish("bench.ex", queue, true, props, m.payload());
        }
        done.await(5, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        ch.close();
        if (nacks.get() > 0) {
            System.out.println("plain client: " + nacks.get() + " nacks");
        }
        return messages / seconds;
    }

    private static double driverRound(AmqpDriver driver, int messages) throws Exception {
        CountDownLatch done = new CountDownLatch(messages);
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            driver.push(Message.builder("bench").pipeline("bench").payload("0123456789abcdef0123456789abcdef")
                    .build()).whenComplete((ok, error) -> {
                        if (error != null) {
                            failures.incrementAndGet();
                        }
                        done.countDown();
                    });
        }
        done.await(5, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failures.get() > 0) {
            System.out.println("driver: " + failures.get() + " failed pushes");
        }
        return messages / seconds;
    }
}
