package org.osgijobs.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the command line asked for.
 *
 * @param scripts   command files to run, in order, before the inline commands
 * @param commands  inline commands ({@code -c}) to run, in order
 * @param noConsole run without the Gogo console, until stopped by a signal
 * @param help      print the usage and exit
 */
record LaunchOptions(List<Path> scripts, List<String> commands, boolean noConsole, boolean help) {

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: jobs [--no-console] [--script FILE]... [-c COMMAND]...",
            "  (none)              start the runtime with the Gogo console (when a terminal is attached)",
            "  --no-console        start the runtime without a console; stop it with Ctrl-C or SIGTERM",
            "  -s, --script FILE   run the Gogo commands of FILE once the runtime is ready, then stop",
            "  -c, --command CMD   run one Gogo command once the runtime is ready, then stop (repeatable)",
            "  -h, --help          print this help",
            "Exit status with commands: 0 when every command succeeded, 1 when one failed (the rest is skipped).");

    LaunchOptions {
        scripts = List.copyOf(scripts);
        commands = List.copyOf(commands);
    }

    /** @return {@code true} when commands run and the runtime then stops */
    boolean runsCommands() {
        return !scripts.isEmpty() || !commands.isEmpty();
    }

    /**
     * @param args the command line
     * @return the options
     * @throws IllegalArgumentException naming the argument that is wrong
     */
    static LaunchOptions parse(String... args) {
        List<Path> scripts = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        boolean noConsole = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
            case "-s":
            case "--script":
                scripts.add(Path.of(valueOf(args, ++i, arg)));
                break;
            case "-c":
            case "--command":
                String command = valueOf(args, ++i, arg);
                if (command.isBlank()) {
                    throw new IllegalArgumentException(arg + " needs a command, got an empty one");
                }
                commands.add(command);
                break;
            case "--no-console":
                noConsole = true;
                break;
            case "-h":
            case "--help":
                help = true;
                break;
            default:
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        return new LaunchOptions(scripts, commands, noConsole, help);
    }

    private static String valueOf(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }
}
