package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;

import org.junit.Test;

import com.rabbitmq.client.Connection;

/** A shared connection out of channel numbers fails the pipeline with a message naming the limit. */
public class SessionTest {

    @Test
    public void noChannelNumberLeftIsAnErrorNamingChannelMax() {
        // the client answers null from createChannel when every channel number is taken
        Connection full = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "createChannel" -> null;
                    case "getChannelMax" -> 2047;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        IOException e = assertThrows(IOException.class, () -> Session.open(full));
        assertTrue(e.getMessage(), e.getMessage().contains("no channel number left (the broker's channel_max is 2047;"
                + " each pipeline takes up to 3)"));
    }
}
