package org.osgijobs.driver.amqp.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;

/**
 * How the client reports failures of its own threads. A broken connection is the {@link Link}'s business, which
 * logs it once with the pipeline's name; the client's stack trace for it is only useful when debugging.
 * <p>
 * An exception thrown by a listener or a consumer is only logged: as a {@link ForgivingExceptionHandler} this
 * keeps the channel open (the client's default handler would close it). So the consumer must settle or hand on
 * every delivery itself, as {@link Consumption} does: a delivery whose handling threw would stay unacknowledged,
 * holding a prefetch slot, until the channel closes.
 */
final class ClientExceptions extends ForgivingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ClientExceptions.class);

    private final String connection;

    ClientExceptions(String connectionName) {
        this.connection = connectionName;
    }

    @Override
    public void handleUnexpectedConnectionDriverException(Connection conn, Throwable exception) {
        LOG.debug("amqp connection {}: connection failure reported by the client", connection, exception);
    }

    @Override
    protected void log(String message, Throwable e) {
        LOG.warn("amqp connection {}: {}", connection, message, e);
    }
}
