package org.osgijobs.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.stream.Stream;

/**
 * At the first start of a distribution that has the HTTP API in {@code bundle/}, writes
 * {@code conf/jobs.http.cfg} with a random bearer token (readable by its owner only), so that changing requests
 * need it from the start; later starts find the file and leave it alone (delete it for a new token, or edit it).
 * The token itself is never printed or logged: the log says where it is.
 */
final class HttpToken {

    static final String FILE = "jobs.http.cfg";

    private HttpToken() {
    }

    /** @return the file written, or {@code null} when there was nothing to do */
    static Path generateIfMissing(Layout layout) throws IOException {
        Path file = layout.conf().resolve(FILE);
        if (Files.exists(file) || !hasHttpApi(layout.bundles())) {
            return null;
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String text = "# The HTTP API (PID jobs.http), written at the first start. Requests that change something\n"
                + "# (POST, DELETE) need 'Authorization: Bearer <token>'. Delete this file for a new token at the next\n"
                + "# start; an empty token turns the check off (then only the loopback rule protects the API).\n"
                + "token=" + token + "\n"
                + "#base_path=/jobs\n"
                + "#max_body_bytes=4194304\n"
                + "#allowed_origins=\n"
                + "#allow_remote=false\n";
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return null;
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static boolean hasHttpApi(Path bundles) throws IOException {
        if (!Files.isDirectory(bundles)) {
            return false;
        }
        try (Stream<Path> jars = Files.list(bundles)) {
            return jars.anyMatch(p -> p.getFileName().toString().startsWith("jobs-http-"));
        }
    }
}
