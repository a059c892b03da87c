package org.osgijobs.logbridge.internal;

import static org.junit.Assert.assertEquals;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.Test;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

public class Slf4jLogBridgeTest {
    private final List<LogListener> listeners = new ArrayList<>();
    private final List<Long> forwarded = new ArrayList<>();

    @Test
    public void forwardsTheHistoryOldestFirstThenNewEntriesWithoutRepeatingOne() {
        // the service's history, newest first, as LogReaderService.getLog() gives it
        LogReaderService reader = reader(List.of(entry(3), entry(2), entry(1)));
        Slf4jLogBridge bridge = new Slf4jLogBridge(reader, config(), e -> forwarded.add(e.getSequence()));
        assertEquals(List.of(bridge), listeners);
        // entry 3 was both in the history and on its way to the listener
        bridge.logged(entry(3));
        bridge.logged(entry(4));
        assertEquals(List.of(1L, 2L, 3L, 4L), forwarded);
    }

    @Test
    public void stopsListeningWhenDeactivated() {
        Slf4jLogBridge bridge = new Slf4jLogBridge(reader(List.of()), config(), e -> forwarded.add(e.getSequence()));
        bridge.deactivate();
        assertEquals(List.of(), listeners);
    }

    private LogReaderService reader(List<LogEntry> newestFirst) {
        return (LogReaderService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { LogReaderService.class }, (proxy, method, args) -> {
                    switch (method.getName()) {
                    case "addLogListener":
                        listeners.add((LogListener) args[0]);
                        return null;
                    case "removeLogListener":
                        listeners.remove(args[0]);
                        return null;
                    case "getLog":
                        return Collections.enumeration(newestFirst);
                    default:
                        throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private static LogEntry entry(long sequence) {
        return (LogEntry) Proxy.newProxyInstance(Slf4jLogBridgeTest.class.getClassLoader(),
                new Class<?>[] { LogEntry.class },
                (proxy, method, args) -> "getSequence".equals(method.getName()) ? sequence : null);
    }

    private static Slf4jLogBridge.Config config() {
        return new Slf4jLogBridge.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return Slf4jLogBridge.Config.class;
            }

            @Override
            public boolean events() {
                return false;
            }
        };
    }
}
