package org.osgijobs.driver.amqp.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.rules.ExternalResource;
import org.osgijobs.api.driver.Pipeline;
import org.osgijobs.api.driver.Queue;
import org.osgijobs.testing.RabbitMqBroker;
import org.osgijobs.testing.RabbitMqClient;

import com.rabbitmq.client.Connection;

/**
 * Per test: a plain client connection to the broker, drivers built against it, and every queue and exchange the
 * test names, deleted afterwards. Skips (or fails under CI) when the broker is not there.
 */
final class AmqpFixture extends ExternalResource {

    Connection raw;
    private final List<AmqpDriver> drivers = new ArrayList<>();
    private final List<String> queues = new ArrayList<>();
    private final List<String> exchanges = new ArrayList<>();

    @Override
    protected void before() throws Throwable {
        RabbitMqBroker.assumeReachable();
        raw = RabbitMqClient.connect("driver-amqp-test");
    }

    @Override
    protected void after() {
        for (AmqpDriver d : drivers) {
            try {
                d.stop();
            } catch (RuntimeException e) {
                // the test may have stopped it
            }
        }
        RabbitMqClient.deleteAll(raw, queues, exchanges);
        try {
            raw.close();
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    /** @return a unique queue name, deleted after the test */
    String queue(String prefix) {
        String name = RabbitMqBroker.unique(prefix);
        queues.add(name);
        return name;
    }

    /** Registers a queue name (e.g. a delay queue) for deletion after the test. */
    String track(String queue) {
        queues.add(queue);
        return queue;
    }

    /** @return a unique exchange name, deleted after the test */
    String exchange(String prefix) {
        String name = RabbitMqBroker.unique(prefix);
        exchanges.add(name);
        return name;
    }

    /** @return pipeline options: name, driver and the given keys and values */
    static Map<String, Object> options(String name, String... kv) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("name", name);
        options.put("driver", "amqp");
        options.put("timeout", "10");
        for (int i = 0; i < kv.length; i += 2) {
            options.put(kv[i], kv[i + 1]);
        }
        return options;
    }

    /** Builds and starts a driver against the test broker (or the given settings), stopped after the test. */
    AmqpDriver driver(Queue queue, ConnectionSettings settings, Map<String, Object> options) {
        AmqpDriver d = new AmqpDriver(Pipeline.of(options), settings, queue, stopped -> {
        });
        drivers.add(d);
        d.start();
        return d;
    }

    AmqpDriver driver(Queue queue, Map<String, Object> options) {
        return driver(queue, ConnectionSettings.of(Map.of("addr", RabbitMqBroker.ADDR)), options);
    }
}
