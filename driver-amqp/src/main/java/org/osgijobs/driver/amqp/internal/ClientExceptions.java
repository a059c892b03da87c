package org.osgijobs.driver.amqp.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.impl.ForgivingExceptionHandler;

/**
 * How the client reports failures of its own threads. A broken connection is the {@link Link}'s business, which
 * logs it once with the pipeline's name; the client's stack trace for it is only useful when debugging. A failing
 * listener or consumer still closes its channel (the client's default), which the link then recovers.
 */
final class ClientExceptions extends ForgivingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ClientExceptions.class);

    private final String pipeline;

    ClientExceptions(String pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void handleUnexpectedConnectionDriverException(Connection conn, Throwable exception) {
        LOG.debug("pipeline '{}': connection failure reported by the client", pipeline, exception);
    }

    @Override
    protected void log(String message, Throwable e) {
        LOG.warn("pipeline '{}': {}", pipeline, message, e);
    }
}
