package org.osgijobs.driver.local.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.h2.mvstore.MVStore;
import org.junit.After;
import org.junit.Test;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.State;
import org.osgijobs.testing.TestQueue;

/**
 * Bad files and a failing disk: each gives the pipeline one clear error naming the file and the problem, leaves the
 * file as it was, and leaves other pipelines working.
 */
public class LocalStoreErrorsTest extends LocalFixture {
    private final Mounts mounts = new Mounts();

    @After
    public void unmount() throws Exception {
        mounts.close();
    }

    private JobsException refusal(String... options) {
        try {
            driver(queue(), options);
        } catch (JobsException e) {
            return e;
        }
        fail("the driver was built");
        return null;
    }

    @Test
    public void aFileThatIsNotAStoreIsRefusedNamedAndLeftAsItWas() throws Exception {
        Path file = folder.getRoot().toPath().resolve("notes.txt");
        byte[] text = "these are my notes, not a job store\n".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(file, text);
        JobsException e = refusal("file", file.toString());
        assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains(file.toString())
                && e.getMessage().contains("not a job store or is corrupted"));
        assertArrayEquals("the failed open wrote nothing", text, Files.readAllBytes(file));
    }

    @Test
    public void anotherMvStoreFileIsRefusedAndLeftAsItWas() throws Exception {
        Path file = folder.getRoot().toPath().resolve("other.mv.db");
        try (MVStore other = new MVStore.Builder().fileName(file.toString()).open()) {
            other.<String, String>openMap("accounts").put("alice", "42");
        }
        byte[] before = Files.readAllBytes(file);
        JobsException e = refusal("file", file.toString());
        assertTrue(e.getMessage(), e.getMessage().contains("not a job store (it holds [accounts])"));
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    @Test
    public void aFileHeldByAnotherProcessIsNamedAsLocked() throws Exception {
        Path file = folder.getRoot().toPath().resolve("held.db");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), HoldStore.class.getName(), file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream()));
            assertEquals("held", out.readLine());
            JobsException e = refusal("file", file.toString());
            assertEquals(JobsException.Kind.UNAVAILABLE, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains(file.toString()) && e.getMessage().contains("locked"));
        } finally {
            holder.getOutputStream().close();
            assertTrue(holder.waitFor(20, TimeUnit.SECONDS));
        }
        driver(queue(), "file", file.toString()); // free again: it opens
    }

    @Test
    public void twoPipelinesOnOneFileGetALockErrorAndTheFirstKeepsWorking() throws Exception {
        TestQueue queue = queue();
        LocalDriver first = running(queue);
        try {
            constructor.create(context(pipeline("q", "file", file().toString()), new TestQueue("q", 10)));
            fail("a second pipeline opened the file");
        } catch (JobsException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("pipeline 'q': file " + file())
                    && e.getMessage().contains("locked"));
        }
        pushAll(first, "still");
        assertEquals("still", take(queue, 1).get(0).name());
    }

    @Test
    public void aFolderInPlaceOfTheFileIsNamed() throws Exception {
        Path dir = Files.createDirectories(folder.getRoot().toPath().resolve("a-folder.db"));
        assertTrue(refusal("file", dir.toString()).getMessage().contains(dir + ": is a folder"));
    }

    @Test
    public void aFolderWithoutWritePermissionIsNamed() throws Exception {
        Path dir = Files.createDirectories(folder.getRoot().toPath().resolve("readonly"));
        if ("root".equals(System.getProperty("user.name"))) {
            mounts.tmpfs(dir, "ro,size=64k"); // root writes through permissions: a read-only file system stops it
        } else {
            assertTrue(dir.toFile().setWritable(false, false));
        }
        Path file = dir.resolve("jobs.db");
        JobsException e = refusal("file", file.toString());
        assertTrue(e.getMessage(), e.getMessage().contains(file.toString()) && e.getMessage().contains("not writable"));
        assertFalse(Files.exists(file));
    }

    @Test
    public void aFullDiskFailsPushesNamingTheFileAndShowsInStateWhileOtherPipelinesWork() throws Exception {
        Path dir = Files.createDirectories(folder.getRoot().toPath().resolve("small"));
        mounts.tmpfs(dir, "size=256k");
        Path file = dir.resolve("p.db");
        LocalDriver full = driver(queue(), "file", file.toString());
        byte[] payload = new byte[16 * 1024];
        JobsException failure = null;
        for (int i = 0; i < 100 && failure == null; i++) {
            try {
                full.push(message("big-" + i).payload(payload).build()).toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                failure = (JobsException) e.getCause();
            }
        }
        assertTrue("256 KB took 100 pushes of 16 KB", failure != null);
        assertTrue(failure.getMessage(), failure.getMessage().contains(file.toString())
                && failure.getMessage().contains("disk is full"));
        State state = full.state();
        assertTrue(state.errorMessage(), state.errorMessage().contains("disk is full"));
        assertFalse(state.ready());
        JobsException later = failure(full.push(msg("after")));
        assertTrue(later.getMessage(), later.getMessage().contains("disk is full"));

        TestQueue otherQueue = new TestQueue("other", 10);
        LocalDriver other = (LocalDriver) constructor.create(context(pipeline("other"), otherQueue));
        try {
            other.run(pipeline("other"));
            other.push(org.osgijobs.api.Message.builder("fine").pipeline("other").build()).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertEquals("fine", otherQueue.take(10, TimeUnit.SECONDS).name());
        } finally {
            other.stop();
        }
    }

    @Test
    public void malformedOptionsAreNamed() {
        assertTrue(refusal("sync", "sometimes").getMessage().contains("sync"));
        assertTrue(refusal("sync", "sometimes").getMessage().contains("always, batch or none"));
        assertTrue(refusal("prefetch", "0").getMessage().contains("prefetch"));
        assertTrue(refusal("max_jobs", "many").getMessage().contains("max_jobs"));
        assertFalse("no file was created for a refused pipeline", new File(file().toString()).exists());
    }

    @Test
    public void aFullPipelineMakesAPushWaitThenFailNamingItsBound() throws Exception {
        TestQueue queue = queue();
        LocalDriver driver = running(queue, "max_jobs", "2", "timeout", "1", "prefetch", "1");
        pushAll(driver, "a", "b");
        JobsException e = failure(driver.push(msg("c")));
        assertEquals(JobsException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage(), e.getMessage().contains("full") && e.getMessage().contains("max_jobs=2"));
        assertEquals("a full pipeline is not a failed file", "", driver.state().errorMessage());

        java.util.concurrent.CompletableFuture<Void> waiting = driver.push(msg("d")).toCompletableFuture();
        take(queue, 1).get(0).settle(org.osgijobs.api.driver.Settlement.ack());
        waiting.get(5, TimeUnit.SECONDS); // room was made: the waiting push is stored
        assertEquals(2, driver.store().size());
    }
}
