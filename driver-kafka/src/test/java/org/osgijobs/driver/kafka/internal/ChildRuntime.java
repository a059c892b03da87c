package org.osgijobs.driver.kafka.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** The parent's handle on a {@link DriverProcess}: its lines as they come, and a SIGKILL. */
final class ChildRuntime implements AutoCloseable {
    private final Process process;
    private final Set<String> acked = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> ran = new ConcurrentHashMap<>();
    private final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile boolean started;

    ChildRuntime(String brokers, String topic, String group, int prefetch, String block, long millis,
            Consumer<String> onRan) throws IOException {
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(javaBin, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", KafkaBrokerProcess.classPath(),
                DriverProcess.class.getName(), brokers, topic, group, String.valueOf(prefetch), block,
                String.valueOf(millis)).redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                    if (line.equals("STARTED")) {
                        started = true;
                    } else if (line.startsWith("RAN ")) {
                        String id = line.substring(4);
                        ran.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                        onRan.accept(id);
                    } else if (line.startsWith("ACKED ")) {
                        acked.add(line.substring(6));
                    }
                }
            } catch (IOException e) {
                // the process died
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    boolean started() {
        return started;
    }

    int runs() {
        return ran.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    Set<String> acked() {
        return acked;
    }

    List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** SIGKILL: no shutdown hook, no close, no last commit. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
