package org.osgijobs.driver.amqp.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;

public class DeliveryReaderTest {

    private static final Envelope ENVELOPE = new Envelope(7, false, "ex", "rk");

    @Test
    public void headersTheDecoderCannotReadAtAllMakeAForeignMessageWithDefaults() {
        DeliveryReader reader = new DeliveryReader("p", 6, (headers, priority) -> {
            throw new StackOverflowError();
        });
        WireFormat.Decoded d = reader.read(ENVELOPE, new AMQP.BasicProperties.Builder()
                .headers(Map.of("rr_id", "kept?", "rr_job", "Named")).build());
        assertEquals(WireFormat.DEDUCED_NAME, d.name());
        assertEquals("a new id", 36, d.id().length());
        assertEquals("the pipeline's priority", 6, d.priority());
        assertEquals(Map.of(), d.headers());
        assertEquals(0, d.delay());
        assertFalse(d.autoAck());
        assertEquals(List.of("unreadable headers (StackOverflowError)"), d.problems());
    }

    @Test
    public void aReadableMessageIsWhatTheWireFormatSays() {
        WireFormat.Decoded d = new DeliveryReader("p", 6).read(ENVELOPE, new AMQP.BasicProperties.Builder()
                .headers(Map.of("rr_id", "i", "rr_job", "Named")).build());
        assertEquals("i", d.id());
        assertEquals("Named", d.name());
        assertEquals(List.of(), d.problems());
    }
}
