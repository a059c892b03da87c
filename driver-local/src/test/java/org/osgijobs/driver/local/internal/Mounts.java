package org.osgijobs.driver.local.internal;

import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Assume;

/**
 * Small tmpfs mounts for the tests of a full disk and a read-only folder: the real errors of the file system, which
 * a root user (CI runs as root) cannot get from permissions alone. Where mounting is not allowed, the test fails
 * with {@code CI=true} and is skipped loudly elsewhere.
 */
final class Mounts implements AutoCloseable {
    private final List<Path> mounted = new ArrayList<>();

    /** Mounts a tmpfs on {@code dir} with the given options ({@code size=64k}, {@code ro}). */
    void tmpfs(Path dir, String options) throws Exception {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        if (!mount.waitFor(20, TimeUnit.SECONDS) || mount.exitValue() != 0) {
            String why = "cannot mount a tmpfs on " + dir + " (" + output.trim() + "): the test needs root";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            System.err.println("SKIPPED, " + why);
            Assume.assumeTrue(why, false);
        }
        mounted.add(dir);
    }

    @Override
    public void close() throws Exception {
        for (Path dir : mounted) {
            new ProcessBuilder("umount", "-l", dir.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
        }
        mounted.clear();
    }
}
