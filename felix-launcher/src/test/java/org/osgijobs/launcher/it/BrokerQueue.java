package org.osgijobs.launcher.it;

import org.junit.rules.ExternalResource;
import org.osgijobs.testing.RabbitMqBroker;

/**
 * A RabbitMQ queue name of one test: unique ({@link RabbitMqBroker#unique(String)}: the prefix, a dash, 8 hex
 * digits), deleted after the test. Before the test it makes sure the broker answers
 * ({@link RabbitMqBroker#assumeReachable()}: a failure with {@code CI=true}, otherwise a loud skip).
 */
final class BrokerQueue extends ExternalResource {
    private final String name;

    /** @param prefix the start of the name, without the dash {@link RabbitMqBroker#unique(String)} adds */
    BrokerQueue(String prefix) {
        this.name = RabbitMqBroker.unique(prefix);
    }

    String name() {
        return name;
    }

    @Override
    protected void before() {
        RabbitMqBroker.assumeReachable();
    }

    @Override
    protected void after() {
        RabbitMq.deleteQueue(name);
    }
}
