package org.osgijobs.launcher.it;

import java.util.UUID;

import org.junit.rules.ExternalResource;

/**
 * A RabbitMQ queue name of one test: unique, deleted after the test. Before the test it makes sure the broker
 * answers (a failure with {@code CI=true}, otherwise a loud skip).
 */
final class BrokerQueue extends ExternalResource {
    private final String name;

    BrokerQueue(String prefix) {
        this.name = prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    String name() {
        return name;
    }

    @Override
    protected void before() {
        RabbitMq.assumeReachable();
    }

    @Override
    protected void after() {
        RabbitMq.deleteQueue(name);
    }
}
