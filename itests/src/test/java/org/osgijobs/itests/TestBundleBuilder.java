package org.osgijobs.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Builds a small bundle in memory, from classes of the test bundle and hand-written resources (such as a
 * Declarative Services component description), for tests that need a bundle of their own to start, stop, update
 * or uninstall. It works inside the framework: class bytes are read from the classes' own class loader.
 * <p>
 * The manifest is exactly what the test sets: give {@code Import-Package} for every package the classes use
 * outside {@code java.*}.
 */
public final class TestBundleBuilder {
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    private TestBundleBuilder(String symbolicName) {
        headers.put("Bundle-ManifestVersion", "2");
        headers.put("Bundle-SymbolicName", symbolicName);
        headers.put("Bundle-Version", "1.0.0");
    }

    /**
     * @param symbolicName the bundle's symbolic name
     * @return a builder
     */
    public static TestBundleBuilder bundle(String symbolicName) {
        return new TestBundleBuilder(symbolicName);
    }

    /**
     * @param name  a manifest header
     * @param value its value
     * @return this builder
     */
    public TestBundleBuilder header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /**
     * Adds the class files of classes (nested classes must be added on their own).
     *
     * @param classes the classes
     * @return this builder
     */
    public TestBundleBuilder add(Class<?>... classes) {
        for (Class<?> c : classes) {
            String path = c.getName().replace('.', '/') + ".class";
            try (InputStream in = c.getClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException("class file " + path + " not found");
                }
                entries.put(path, in.readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + path, e);
            }
        }
        return this;
    }

    /**
     * @param path    a path in the bundle
     * @param content its text, written as UTF-8
     * @return this builder
     */
    public TestBundleBuilder resource(String path, String content) {
        entries.put(path, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** @return the bundle's jar bytes */
    public byte[] build() {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((k, v) -> main.put(new Attributes.Name(k), v));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot build bundle " + headers.get("Bundle-SymbolicName"), e);
        }
        return bytes.toByteArray();
    }
}
