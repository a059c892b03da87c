package org.osgijobs.launcher;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the runtime's stop for {@code launcher:shutdown}. Typed in the console, the command runs on the console's
 * own thread, which then goes back to reading the terminal; when the framework stops Gogo, Gogo interrupts that
 * thread and waits up to 5 s for it, and a read that the interrupt does not end makes it print "FAILED TO STOP
 * EXECUTOR". So from the console the command first tells Gogo's shell to stop ({@code Shell.stop()}, which its
 * console loop checks before every read): the console's thread ends as soon as the command returns, as after
 * Ctrl-D. From a script the stop simply begins.
 */
final class ConsoleAwareStop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAwareStop.class);
    private static final String SHELL = "org.apache.felix.gogo.jline.Shell";

    private final BundleContext context;
    private final Runnable stop;

    ConsoleAwareStop(BundleContext context, Runnable stop) {
        this.context = context;
        this.stop = stop;
    }

    @Override
    public void run() {
        if (isConsole(Thread.currentThread().getStackTrace())) {
            endConsoleLoop();
        }
        stop.run();
    }

    /** @return {@code true} when the frames are those of Gogo's interactive console */
    static boolean isConsole(StackTraceElement[] frames) {
        for (StackTraceElement frame : frames) {
            if (frame.getClassName().equals(SHELL) && frame.getMethodName().equals("console")) {
                return true;
            }
        }
        return false;
    }

    /** Gogo registers its shell as the command service of scope {@code gogo}; its {@code stop()} ends the loop. */
    private void endConsoleLoop() {
        try {
            for (ServiceReference<?> ref : context.getServiceReferences(Object.class.getName(),
                    "(osgi.command.scope=gogo)")) {
                Object service = context.getService(ref);
                try {
                    if (service != null && service.getClass().getName().equals(SHELL)) {
                        service.getClass().getMethod("stop").invoke(service);
                        return;
                    }
                } finally {
                    context.ungetService(ref);
                }
            }
        } catch (InvalidSyntaxException | ReflectiveOperationException | RuntimeException e) {
            // the stop goes on; at worst Gogo waits for its console as before
            LOG.debug("could not end the console's loop before the stop: {}", e.toString());
        }
    }
}
