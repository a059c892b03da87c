package org.osgijobs.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar lib/jobs-launcher.jar [options]}: reads {@code conf/system.properties} (logging and other JVM
 * settings) and {@code conf/framework.properties} (the framework's), then hands over to {@link Launcher}.
 */
public final class Main {
    /** The framework property Gogo's shell reads its arguments from. */
    static final String GOSH_ARGS = "gosh.args";

    private Main() {
    }

    /** @param args see {@link LaunchOptions#USAGE} */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        LaunchOptions options;
        try {
            options = LaunchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("jobs: " + e.getMessage());
            System.err.println(LaunchOptions.USAGE);
            return Launcher.USAGE;
        }
        if (options.help()) {
            out.println(LaunchOptions.USAGE);
            return Launcher.OK;
        }
        Layout layout = Layout.locate();
        UnaryOperator<String> outside = name -> Layout.HOME_PROPERTY.equals(name) ? layout.home().toString()
                : System.getProperty(name);
        Map<String, String> frameworkProperties;
        LogFile.Tee consoleLog;
        try {
            // system properties first: they configure the logger, which must not start before them
            PropertiesFile.load(layout.conf().resolve("system.properties"), outside).forEach((key, value) -> {
                if (System.getProperty(key) == null) {
                    System.setProperty(key, value);
                }
            });
            consoleLog = LogFile.teeStandardError(layout.log().resolve("jobs.log"));
            frameworkProperties = new HashMap<>(
                    PropertiesFile.load(layout.conf().resolve("framework.properties"), outside));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("jobs: cannot start from " + layout.home() + " (conf/ or log/): " + e.getMessage());
            return Launcher.USAGE;
        }
        Logger log = LoggerFactory.getLogger(Main.class);
        for (Path script : options.scripts()) {
            if (!Files.isReadable(script)) {
                log.error("cannot read the script {}", script.toAbsolutePath());
                return Launcher.USAGE;
            }
        }
        boolean console = !options.runsCommands() && !options.noConsole();
        if (console && System.console() == null) {
            log.info("no terminal attached: running without the Gogo console; stop with Ctrl-C or SIGTERM");
            console = false;
        }
        if (!console) {
            // Gogo then opens no shell; jline need not look for a terminal (nor warn that it found none)
            frameworkProperties.put(GOSH_ARGS, "--nointeractive");
            System.setProperty("org.jline.terminal.dumb", "true");
        }
        log.info("starting OSGi Jobs from {}", layout.home());
        try {
            java.nio.file.Path token = HttpToken.generateIfMissing(layout);
            if (token != null) {
                log.info("HTTP API: a bearer token for changing requests was generated into {} (owner-readable only)",
                        token);
            }
        } catch (IOException e) {
            log.warn("HTTP API: could not write a token into conf/{}: {}", HttpToken.FILE, e.getMessage());
        }
        // taken now: once Gogo has started, System's streams are its per-thread ones (see ProcessStreams)
        ProcessStreams streams = new ProcessStreams(System.in, out, System.err);
        return new Launcher(layout, options, frameworkProperties, streams, console, consoleLog).run();
    }
}
