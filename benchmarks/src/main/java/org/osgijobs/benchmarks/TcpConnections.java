package org.osgijobs.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Counts this process's established TCP connections to a port, from Linux's {@code /proc}: the sockets among the
 * process's open files, matched by inode with the kernel's connection tables. The client side's own count, which
 * needs nothing from the broker.
 */
final class TcpConnections {
    private static final String ESTABLISHED = "01";

    private TcpConnections() {
    }

    /** @return the count, or -1 when {@code /proc} cannot be read (not Linux) */
    static int to(int remotePort) {
        try {
            Set<String> inodes = new HashSet<>();
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                for (Path fd : fds) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(target.substring(8, target.length() - 1));
                        }
                    } catch (IOException closedMeanwhile) {
                        // a file closed while listing
                    }
                }
            }
            int count = 0;
            for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
                Path path = Path.of(table);
                if (!Files.exists(path)) {
                    continue;
                }
                for (String line : Files.readAllLines(path)) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length < 10 || !f[2].contains(":")) {
                        continue; // the header
                    }
                    int port = Integer.parseInt(f[2].substring(f[2].lastIndexOf(':') + 1), 16);
                    if (port == remotePort && ESTABLISHED.equals(f[3]) && inodes.contains(f[9])) {
                        count++;
                    }
                }
            }
            return count;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
