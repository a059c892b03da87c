package org.osgijobs.launcher;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

/**
 * The one graceful stop of a started framework, whoever asks for it: {@code launcher:shutdown}, SIGTERM (and
 * Ctrl-C without the console), the console's exit (Gogo stops the system bundle itself), the end of the commands,
 * or the JVM exiting for another reason. Asking starts the stop and returns; {@link #stopAndWait} waits for it.
 */
final class GracefulStop {
    private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

    /** How long the launcher's thread may take to end the process after a signal's stop. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(10);

    private final Framework framework;
    private final Duration timeout;
    /** The thread that runs the launcher and exits the process when it returns. */
    private final Thread launcher = Thread.currentThread();
    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private final Object waiting = new Object();
    /** How the first wait ended ({@code true}: stopped); later waits return it instead of waiting again. */
    private Boolean outcome;

    GracefulStop(Framework framework, Duration timeout) {
        this.framework = framework;
        this.timeout = timeout;
        // a stop begun inside the framework (the console's exit, 'stop 0') counts as asked for
        framework.getBundleContext().addBundleListener((SynchronousBundleListener) event -> {
            if (event.getType() == BundleEvent.STOPPING && event.getBundle().getBundleId() == 0) {
                if (started.compareAndSet(false, true)) {
                    LOG.info("stopping the runtime (waiting up to {} s)", timeout.toSeconds());
                }
                requested.countDown();
            }
        });
    }

    /**
     * Makes SIGTERM (and SIGINT when {@code interrupt}) start this stop instead of the JVM's exit. The JVM's own
     * handling would exit with 128 + the signal's number once the shutdown hooks are done, and would run them all
     * at once: jline's hook restores the terminal while Gogo's console still reads from it, so that the console's
     * thread blocks in a read that nothing ends (Gogo then waits 5 s and prints "FAILED TO STOP EXECUTOR"). Asked
     * for here, the stop runs while everything still works and the process exits with 0 afterwards. A signal that
     * was ignored when the JVM started (nohup) stays ignored.
     *
     * @param interrupt also SIGINT: without the console; with it, Ctrl-C belongs to the console
     */
    void onSignals(boolean interrupt) {
        handle("TERM");
        if (interrupt) {
            handle("INT");
        }
    }

    private void handle(String name) {
        try {
            Signal.handle(new Signal(name), signal -> onSignal());
        } catch (IllegalArgumentException e) {
            // -Xrs, or a JVM that keeps the signal to itself: its default handling stays, the shutdown hook stops
            LOG.debug("cannot handle SIG{}: {}", name, e.getMessage());
        }
    }

    /**
     * Runs on the JVM's thread for the signal. The launcher's own thread ends the process once the framework has
     * stopped (a running script command is ended by its session closing); should it not, because a command ignores
     * that, the process exits anyway, as it would have without this handler.
     */
    private void onSignal() {
        stopAndWait();
        try {
            launcher.join(EXIT_GRACE.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        LOG.warn("still running {} s after the runtime stopped (a command that does not end?): exiting",
                EXIT_GRACE.toSeconds());
        System.exit(Launcher.COMMAND_FAILED);
    }

    /** Starts the stop, unless one is under way, and returns at once (the framework stops on its own thread). */
    void request() {
        requested.countDown();
        if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0 && started.compareAndSet(false, true)) {
            LOG.info("stopping the runtime (waiting up to {} s)", timeout.toSeconds());
            try {
                framework.stop();
            } catch (BundleException e) {
                LOG.error("the runtime could not stop: {}", e.getMessage());
            }
        }
    }

    /** Waits until a stop is asked for, by {@link #request} or from inside the framework. */
    void awaitRequest() throws InterruptedException {
        while (!requested.await(1, TimeUnit.SECONDS)) {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) == 0) {
                return;
            }
        }
    }

    /**
     * Stops, or joins the stop under way, and waits for it within the timeout; the runtime lets running jobs
     * finish within its own. Only the first caller waits and logs the outcome (the launcher's thread and the JVM's
     * shutdown hook may both call).
     *
     * @return {@code true} when the framework stopped in time
     */
    boolean stopAndWait() {
        request();
        synchronized (waiting) {
            if (outcome != null) {
                return outcome;
            }
            try {
                FrameworkEvent event = framework.waitForStop(timeout.toMillis());
                outcome = event.getType() != FrameworkEvent.WAIT_TIMEDOUT;
                if (outcome) {
                    LOG.info("runtime stopped");
                } else {
                    LOG.warn("the runtime did not stop within {} s", timeout.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = false;
            }
            return outcome;
        }
    }
}
