package org.osgijobs.launcher;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A Gogo command session opened from outside the framework. The Gogo API lives in the gogo runtime bundle, not
 * on the launcher's class path, so its two interfaces are used through reflection on the classes the bundle
 * exports.
 */
final class GogoSession implements AutoCloseable {
    static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";
    /** {@code Converter.INSPECT}: the format the Gogo shell prints results with. */
    private static final int INSPECT = 0;

    private final Object session;
    private final Method execute;
    private final Method format;
    private final Method close;

    private GogoSession(Object session, Class<?> sessionType) throws NoSuchMethodException {
        this.session = session;
        this.execute = sessionType.getMethod("execute", CharSequence.class);
        this.format = sessionType.getMethod("format", Object.class, int.class);
        this.close = sessionType.getMethod("close");
    }

    /**
     * Waits for the command processor and opens a session on it.
     *
     * @throws IllegalStateException when no command processor appears in time
     */
    static GogoSession open(BundleContext context, Duration timeout, InputStream in, OutputStream out,
            OutputStream err) throws Exception {
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                context.createFilter("(objectClass=" + PROCESSOR + ")"), null);
        tracker.open(true);
        try {
            Object processor = tracker.waitForService(timeout.toMillis());
            ServiceReference<Object> reference = tracker.getServiceReference();
            if (processor == null || reference == null) {
                throw new IllegalStateException("the Gogo command processor did not appear within "
                        + timeout.toSeconds() + " s: is org.apache.felix.gogo.runtime in bundle/?");
            }
            Class<?> processorType = reference.getBundle().loadClass(PROCESSOR);
            Class<?> sessionType = reference.getBundle().loadClass(SESSION);
            Object session = processorType.getMethod("createSession", InputStream.class, OutputStream.class,
                    OutputStream.class).invoke(processor, in, out, err);
            return new GogoSession(session, sessionType);
        } finally {
            // the session keeps working on its own; the tracker was only for finding the processor
            tracker.close();
        }
    }

    /**
     * Runs one statement.
     *
     * @return its result, or {@code null}
     * @throws Exception whatever the command threw; an {@link InvocationTargetException} around an Error
     */
    Object execute(String statement) throws Exception {
        try {
            return execute.invoke(session, statement);
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        }
    }

    /** @return the result as the Gogo shell would print it */
    String format(Object result) throws Exception {
        try {
            return String.valueOf(format.invoke(session, result, INSPECT));
        } catch (InvocationTargetException e) {
            throw unwrap(e);
        }
    }

    @Override
    public void close() {
        try {
            close.invoke(session);
        } catch (ReflectiveOperationException e) {
            // closing a session that the framework already took down
        }
    }

    /**
     * An {@link Error} of a statement (Gogo passes one on wrapped, like a command's) stays wrapped: it fails the
     * statement like any other failure instead of ending the launcher's thread while the framework runs on.
     */
    private static Exception unwrap(InvocationTargetException e) {
        Throwable cause = e.getCause();
        return cause instanceof Exception ? (Exception) cause : e;
    }
}
