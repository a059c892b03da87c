package org.osgijobs.logbridge.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Optional;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

public class RouteTest {

    @Test
    public void usesTheLoggingBundlesNameAndMapsTheLevel() {
        assertEquals(Optional.of(new Route("org.apache.felix.scr", Route.Level.ERROR)),
                Route.of(entry("org.apache.felix.scr", "LogService", LogLevel.ERROR), false));
        assertEquals(Optional.of(new Route("org.apache.felix.fileinstall", Route.Level.INFO)),
                Route.of(entry("org.apache.felix.fileinstall", "LogService", LogLevel.INFO), false));
        assertEquals(Route.Level.INFO, Route.of(entry("b", "x", LogLevel.AUDIT), false).get().level());
        assertEquals(Route.Level.DEBUG, Route.of(entry("b", "x", LogLevel.DEBUG), false).get().level());
        assertEquals(Route.Level.TRACE, Route.of(entry("b", "x", LogLevel.TRACE), false).get().level());
        assertEquals(Route.Level.WARN, Route.of(entry("b", "x", LogLevel.WARN), false).get().level());
    }

    @Test
    public void dropsRoutineFrameworkEventsUnlessAskedFor() {
        assertTrue(Route.of(entry("b", "Events.Bundle", LogLevel.INFO), false).isEmpty());
        assertTrue(Route.of(entry("b", "Events.Service", LogLevel.DEBUG), false).isEmpty());
        assertEquals(Route.Level.INFO, Route.of(entry("b", "Events.Bundle", LogLevel.INFO), true).get().level());
    }

    @Test
    public void keepsFrameworkEventsThatAreProblems() {
        assertEquals(Route.Level.ERROR, Route.of(entry("b", "Events.Framework", LogLevel.ERROR), false).get()
                .level());
        assertEquals(Route.Level.WARN, Route.of(entry("b", "Events.Framework", LogLevel.WARN), false).get()
                .level());
    }

    @Test
    public void anEntryWithoutBundleGoesToTheOsgiLogger() {
        assertEquals("osgi", Route.of(entry(null, "x", LogLevel.INFO), false).get().loggerName());
    }

    private static LogEntry entry(String bundleName, String loggerName, LogLevel level) {
        Bundle bundle = bundleName == null ? null : (Bundle) Proxy.newProxyInstance(
                RouteTest.class.getClassLoader(), new Class<?>[] { Bundle.class },
                (proxy, method, args) -> "getSymbolicName".equals(method.getName()) ? bundleName : null);
        return (LogEntry) Proxy.newProxyInstance(RouteTest.class.getClassLoader(), new Class<?>[] { LogEntry.class },
                (proxy, method, args) -> {
                    switch (method.getName()) {
                    case "getBundle":
                        return bundle;
                    case "getLoggerName":
                        return loggerName;
                    case "getLogLevel":
                        return level;
                    default:
                        return null;
                    }
                });
    }
}
