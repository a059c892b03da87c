package org.osgijobs.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps log lines from splitting what a command typed in the console prints (a {@code stat} table of many
 * pipelines is written in several pieces, and a log line written between two of them cut it). From the end of a
 * console command until the console reads its next line (its result and prompt are printed by then), the log's
 * lines for the console are held and then written at once; the log file gets them at once. A hold lasts
 * {@link #MAX_HOLD} at most. Scripts are not concerned: their results and the log go to different streams.
 *
 * <p>
 * Gogo tells it about commands as a {@code CommandSessionListener}: the launcher is outside the framework and
 * does not share Gogo's classes, so it registers a proxy of that interface as Gogo's bundle sees it.
 */
final class ConsoleResultGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleResultGuard.class);
    static final Duration MAX_HOLD = Duration.ofSeconds(2);
    private static final long POLL_MILLIS = 5;
    private static final String LISTENER = "org.apache.felix.service.command.CommandSessionListener";
    private static final String READER = "org.jline.reader.impl.LineReaderImpl";
    private static final String SHELL = "org.apache.felix.gogo.jline.Shell";

    /** Output that can be held back for a moment. */
    interface Hold {
        /** From now on, what is written waits. */
        void hold();

        /** What waited is written, in one piece; later writes go through. */
        void release();
    }

    private final Hold output;
    private final Predicate<Thread> isConsole;
    private final Predicate<Thread> isReading;
    private final Duration maxHold;
    private final ScheduledExecutorService timer;
    // guarded by this
    private ScheduledFuture<?> watch;

    /**
     * @param output    the console's log output
     * @param isConsole whether a thread is the console's (the one that runs typed commands)
     * @param isReading whether the console's thread waits for the next line
     * @param maxHold   the longest hold
     * @param timer     runs the checks
     */
    ConsoleResultGuard(Hold output, Predicate<Thread> isConsole, Predicate<Thread> isReading, Duration maxHold,
            ScheduledExecutorService timer) {
        this.output = output;
        this.isConsole = isConsole;
        this.isReading = isReading;
        this.maxHold = maxHold;
        this.timer = timer;
    }

    /**
     * Registers a guard for Gogo's console; without Gogo, nothing happens.
     *
     * @param context the system bundle's context
     * @param output  the console's log output
     */
    static void register(BundleContext context, Hold output) {
        Class<?> listener = null;
        for (Bundle bundle : context.getBundles()) {
            if ("org.apache.felix.gogo.runtime".equals(bundle.getSymbolicName())) {
                try {
                    listener = bundle.loadClass(LISTENER);
                } catch (ClassNotFoundException | IllegalStateException e) {
                    LOG.debug("no {}: {}", LISTENER, e.toString());
                }
            }
        }
        if (listener == null) {
            return;
        }
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jobs-console-guard");
            t.setDaemon(true);
            return t;
        });
        ConsoleResultGuard guard = new ConsoleResultGuard(output,
                ConsoleResultGuard::isConsole, ConsoleResultGuard::isReading, MAX_HOLD, timer);
        Object proxy = Proxy.newProxyInstance(listener.getClassLoader(), new Class<?>[] { listener },
                guard.handler());
        context.registerService(LISTENER, proxy, null);
    }

    /**
     * @return whether the thread waits for the next key in jline's {@code readLine}: by then what the command
     *         printed is flushed to the terminal, and the prompt too (at {@code readLine}'s start it may still
     *         be in the terminal's buffer)
     */
    static boolean isReading(Thread thread) {
        return hasFrame(thread.getStackTrace(), READER, "readBinding");
    }

    /**
     * @return whether the thread is the console's: Gogo's shell loop ({@code Shell.runShell} in gogo.jline 1.1)
     *         runs on it and calls the session for each typed line (the command itself runs on a pipe thread)
     */
    static boolean isConsole(Thread thread) {
        return hasFrame(thread.getStackTrace(), SHELL, "runShell");
    }

    static boolean hasFrame(StackTraceElement[] frames, String className, String method) {
        for (StackTraceElement frame : frames) {
            if (frame.getClassName().equals(className) && frame.getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A command ended on a thread (Gogo's {@code afterExecute}, before the console prints its result): on the
     * console's thread, the log is held until the console reads again.
     */
    void commandEnded(Thread thread) {
        if (!isConsole.test(thread)) {
            return;
        }
        long deadline = System.nanoTime() + maxHold.toNanos();
        AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
        Runnable check = () -> {
            if (isReading.test(thread) || !thread.isAlive() || System.nanoTime() - deadline > 0) {
                synchronized (this) {
                    if (watch == self.get()) { // not replaced by a later command's
                        watch.cancel(false);
                        watch = null;
                        output.release();
                    }
                }
            }
        };
        synchronized (this) {
            output.hold();
            if (watch != null) {
                watch.cancel(false);
            }
            self.set(timer.scheduleWithFixedDelay(check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS));
            watch = self.get();
        }
    }

    private InvocationHandler handler() {
        return (Object proxy, Method method, Object[] args) -> {
            switch (method.getName()) {
            case "afterExecute":
                commandEnded(Thread.currentThread());
                return null;
            case "beforeExecute":
                return null;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            case "toString":
                return "jobs console result guard";
            default:
                return null;
            }
        };
    }
}
