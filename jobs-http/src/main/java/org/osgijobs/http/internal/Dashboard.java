package org.osgijobs.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's static files (HTML, CSS, JavaScript: no library, nothing from the network), served below
 * {@code <base_path>/ui/} with a content security policy that allows this origin only.
 */
final class Dashboard {

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8");

    private final Map<String, byte[]> content;

    Dashboard() {
        Map<String, byte[]> loaded = new java.util.HashMap<>();
        for (String name : FILES.keySet()) {
            try (InputStream in = Dashboard.class.getResourceAsStream("ui/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("ui/" + name + " is missing from the bundle");
                }
                loaded.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        content = Map.copyOf(loaded);
    }

    /** @return the file, or {@code null} when there is none of that name */
    ApiResponse file(String name) {
        String file = name.isEmpty() ? "index.html" : name;
        byte[] bytes = content.get(file);
        if (bytes == null) {
            return null;
        }
        return new ApiResponse(200, Map.of("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'", "X-Frame-Options", "DENY"),
                FILES.get(file), bytes);
    }
}
