package org.osgijobs.driver.memory.internal;

import java.util.List;
import java.util.Map;

import org.osgijobs.api.Message;

/**
 * A {@link MemoryJob} whose message has headers or a delay, or that waits for a due time: these parts live here so
 * that the common job (no headers, no delay) does not carry three empty fields.
 */
final class DetailedMemoryJob extends MemoryJob {
    private final Map<String, List<String>> headers;
    private final int delaySeconds;
    private final long due;

    DetailedMemoryJob(MemoryDriver driver, Message message, long priority, long sequence, long due) {
        super(driver, message, priority, sequence);
        this.headers = message.headers();
        this.delaySeconds = message.delay();
        this.due = due;
    }

    @Override
    long due() {
        return due;
    }

    @Override
    int delaySeconds() {
        return delaySeconds;
    }

    @Override
    public Map<String, List<String>> headers() {
        return headers;
    }
}
