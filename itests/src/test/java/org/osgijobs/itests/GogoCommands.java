package org.osgijobs.itests;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * Calls the runtime's Gogo commands (the service with {@code osgi.command.scope=jobs}) the way the Gogo shell
 * would: by reflection, with string arguments, no shell needed.
 */
public final class GogoCommands {
    /** The filter of the runtime's command service. */
    public static final String FILTER = "(osgi.command.scope=jobs)";

    private final Object commands;
    private final ServiceReference<?> reference;

    private GogoCommands(Object commands, ServiceReference<?> reference) {
        this.commands = commands;
        this.reference = reference;
    }

    /**
     * @param context a bundle context
     * @return the command service, or {@code null} when none is registered
     */
    public static GogoCommands find(BundleContext context) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, FILTER);
            if (refs == null || refs.length == 0) {
                return null;
            }
            return new GogoCommands(context.getService(refs[0]), refs[0]);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the service's registration properties' command functions */
    public String[] functions() {
        Object f = reference.getProperty("osgi.command.function");
        return f instanceof String[] ? (String[]) f : new String[] { String.valueOf(f) };
    }

    /**
     * Runs a command as Gogo would: the public method of that name, called with {@code --help} absent and the words
     * as its arguments; what it prints is captured (there is no Gogo here to route {@code System.out}).
     *
     * @param function the command, e.g. {@code stat}
     * @param args     its words
     * @return what the command printed, without the last line break
     * @throws RuntimeException what the command threw (unwrapped), e.g. a {@code JobsException}
     */
    public String call(String function, String... args) {
        Method method = select(function);
        synchronized (GogoCommands.class) {
            PrintStream stdout = System.out;
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try {
                method.invoke(commands, false, args);
                return printed.toString(StandardCharsets.UTF_8).stripTrailing();
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException) {
                    throw (RuntimeException) cause;
                }
                throw new IllegalStateException("command " + function + " failed", cause);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("command " + function + " is not callable", e);
            } finally {
                System.setOut(stdout);
            }
        }
    }

    /** Every command is one method: {@code (boolean help, String... words)}. */
    private Method select(String function) {
        for (Method m : commands.getClass().getMethods()) {
            if (m.getName().equals(function) && m.isVarArgs() && m.getParameterCount() == 2
                    && m.getParameterTypes()[0] == boolean.class) {
                return m;
            }
        }
        throw new IllegalArgumentException("no command " + function + "(boolean help, String... words)");
    }
}
