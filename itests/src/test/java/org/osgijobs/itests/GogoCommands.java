package org.osgijobs.itests;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

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
     * Runs a command as Gogo would: the public method of that name whose parameters fit the arguments (a trailing
     * {@code String...} takes the rest).
     *
     * @param function the command, e.g. {@code stat}
     * @param args     its arguments
     * @return what the command returned (Gogo prints it)
     * @throws RuntimeException what the command threw (unwrapped), e.g. a {@code JobsException}
     */
    public Object call(String function, String... args) {
        Method method = select(function, args.length);
        Object[] actual = arguments(method, args);
        try {
            return method.invoke(commands, actual);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("command " + function + " failed", cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("command " + function + " is not callable", e);
        }
    }

    private Method select(String function, int argCount) {
        Method varargs = null;
        for (Method m : commands.getClass().getMethods()) {
            if (!m.getName().equals(function)) {
                continue;
            }
            int params = m.getParameterCount();
            if (!m.isVarArgs() && params == argCount) {
                return m;
            }
            if (m.isVarArgs() && argCount >= params - 1) {
                varargs = m;
            }
        }
        if (varargs == null) {
            throw new IllegalArgumentException("no command " + function + " taking " + argCount + " arguments");
        }
        return varargs;
    }

    private static Object[] arguments(Method method, String[] args) {
        if (!method.isVarArgs()) {
            return args;
        }
        int fixed = method.getParameterCount() - 1;
        Object[] actual = new Object[fixed + 1];
        System.arraycopy(args, 0, actual, 0, fixed);
        actual[fixed] = Arrays.copyOfRange(args, fixed, args.length);
        return actual;
    }
}
