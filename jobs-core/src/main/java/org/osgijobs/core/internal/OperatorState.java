package org.osgijobs.core.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.osgijobs.api.PipelineAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator did that no configuration file says, kept across restarts: the pipelines declared through
 * {@code PipelineAdmin.declare} (until destroyed) and the pipelines paused (until resumed), configured or declared.
 * It lives in one properties file in the core bundle's data area (in the distribution under {@code data/}, so
 * deleting {@code data/} forgets it), written whole to a temporary file and moved over the old one on every change,
 * so that a crash leaves the old or the new state, never half of one. Without a file (plain unit tests, a framework
 * without a data area) nothing is kept.
 */
final class OperatorState {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorState.class);
    private static final String DECLARED = "declared.";
    private static final String PAUSED = "paused";

    private final Path file;
    // guarded by this
    private final Map<String, Map<String, String>> declared = new TreeMap<>();
    private final Set<String> paused = new TreeSet<>();

    private OperatorState(Path file) {
        this.file = file;
    }

    /** @return a state that keeps nothing */
    static OperatorState none() {
        return new OperatorState(null);
    }

    /**
     * @param file where the state is kept; read now if it exists
     * @return the state; an unreadable file is logged and treated as empty (it is rewritten on the next change)
     */
    static OperatorState load(Path file) {
        OperatorState state = new OperatorState(file);
        if (file != null && Files.isRegularFile(file)) {
            Properties props = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(in);
                state.read(props);
            } catch (IOException | IllegalArgumentException e) {
                LOG.error("operator state {} is unreadable and is ignored: {}", file, e.toString());
            }
        }
        return state;
    }

    /** @return the declared pipelines' options by name, sorted */
    synchronized Map<String, Map<String, String>> declared() {
        Map<String, Map<String, String>> copy = new TreeMap<>();
        declared.forEach((name, options) -> copy.put(name, Map.copyOf(options)));
        return copy;
    }

    synchronized boolean isPaused(String pipeline) {
        return paused.contains(pipeline);
    }

    synchronized void declared(String pipeline, Map<String, String> options) {
        declared.put(pipeline, new LinkedHashMap<>(options));
        save();
    }

    /** A pipeline is gone for good: neither its declaration nor its pause is kept. */
    synchronized void destroyed(String pipeline) {
        boolean changed = declared.remove(pipeline) != null;
        changed |= paused.remove(pipeline);
        if (changed) {
            save();
        }
    }

    synchronized void paused(String pipeline) {
        if (paused.add(pipeline)) {
            save();
        }
    }

    synchronized void resumed(String pipeline) {
        if (paused.remove(pipeline)) {
            save();
        }
    }

    private void read(Properties props) {
        Map<String, Map<String, String>> byIndex = new TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(DECLARED)) {
                int dot = key.indexOf('.', DECLARED.length());
                if (dot > 0) {
                    byIndex.computeIfAbsent(key.substring(DECLARED.length(), dot), k -> new LinkedHashMap<>())
                            .put(key.substring(dot + 1), props.getProperty(key));
                }
            }
        }
        byIndex.values().forEach(options -> {
            String name = options.get(PipelineAdmin.OPTION_NAME);
            if (name != null) {
                declared.put(name, options);
            }
        });
        String pausedList = props.getProperty(PAUSED, "");
        for (String name : pausedList.split("\n")) {
            if (!name.isEmpty()) {
                paused.add(name);
            }
        }
    }

    /** Guarded by this. */
    private void save() {
        if (file == null) {
            return;
        }
        Properties props = new Properties();
        int index = 0;
        for (Map<String, String> options : declared.values()) {
            String prefix = DECLARED + index++ + ".";
            options.forEach((k, v) -> props.setProperty(prefix + k, v));
        }
        props.setProperty(PAUSED, String.join("\n", paused));
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                props.store(out, "what operators declared and paused: written by jobs-core, do not edit");
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.error("operator state could not be written to {}: a restart would forget the last change: {}", file,
                    e.toString());
        }
    }
}
