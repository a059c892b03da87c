package org.osgijobs.driver.local.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgijobs.api.JobsException;
import org.osgijobs.api.Message;

/**
 * The store's layout (layout 2): a commit's jobs as one batch, settlements as a bit set per batch, a batch removed
 * once all its jobs are settled, and what a crash between commits leaves.
 */
public class JobStoreTest {
    @Rule
    public final TemporaryFolder folder = new TemporaryFolder();

    private Path file() {
        return folder.getRoot().toPath().resolve("p.db");
    }

    private JobStore open() {
        JobStore store = JobStore.open("p", file());
        store.recover();
        return store;
    }

    private static JobRecord record(JobStore store, String name) {
        return new JobRecord(store.nextSequence(), Message.builder(name).pipeline("p").payload(name).build(), 10, 0);
    }

    private static List<Long> push(JobStore store, String... names) {
        List<Long> sequences = new ArrayList<>();
        for (String name : names) {
            JobRecord record = record(store, name);
            store.put(record);
            sequences.add(record.sequence());
        }
        return sequences;
    }

    private static void commit(JobStore store) {
        store.apply();
        store.commit(true);
    }

    private static List<String> names(List<JobRecord> records) {
        return records.stream().map(r -> r.message().name()).toList();
    }

    /** @return the keys of each job map's batches, read from the closed file */
    private Map<Integer, Set<Long>> keysByMap() {
        return keysByMap(false);
    }

    /** @return the keys of each job map's batches, or of its spacers (empty entries), read from the closed file */
    private Map<Integer, Set<Long>> keysByMap(boolean spacers) {
        try (MVStore raw = new MVStore.Builder().fileName(file().toString()).readOnly().open()) {
            Map<Integer, Set<Long>> keys = new java.util.TreeMap<>();
            for (int i = 0; i < JobStore.JOB_MAPS; i++) {
                MVMap<Long, byte[]> map = raw.openMap(JobStore.JOBS + i);
                Set<Long> found = new TreeSet<>();
                map.forEach((key, value) -> {
                    if ((value.length == 0) == spacers) {
                        found.add(key);
                    }
                });
                keys.put(i, found);
            }
            return keys;
        }
    }

    @Test
    public void aBatchIsWrittenOnceWhenTheNextOneIsPutBesideIt() throws IOException {
        JobStore store = open();
        List<Long> big = new ArrayList<>();
        for (int batch = 0; batch < JobStore.JOB_MAPS; batch++) { // a live batch of 200 KB at the end of every map
            for (int i = 0; i < 200; i++) {
                JobRecord record = new JobRecord(store.nextSequence(), Message.builder("big").pipeline("p")
                        .payload(new byte[1000]).build(), 10, 0);
                store.put(record);
                big.add(record.sequence());
            }
            commit(store);
        }
        long before = Files.size(file());
        push(store, "small");
        commit(store); // goes beside a live 200 KB batch: without the spacer, MVStore wrote that batch again
        long grown = Files.size(file()) - before;
        assertTrue("one small job grew the file by " + grown + " bytes", grown < 100_000);

        for (long sequence : big) {
            store.settle(sequence);
        }
        commit(store);
        store.close();
        Map<Integer, Set<Long>> spacers = keysByMap(true);
        int left = spacers.values().stream().mapToInt(Set::size).sum();
        assertEquals("the spacers of removed batches are removed with them: " + spacers, 1, left);
        JobStore after = JobStore.open("p", file());
        assertEquals(List.of("small"), names(after.recover().jobs()));
        after.close();
    }

    @Test
    public void aCommitsJobsAreOneEntryAndComeBackInOrder() {
        JobStore store = open();
        List<Long> sequences = push(store, "a", "b", "c");
        commit(store);
        store.close();

        assertEquals("one batch, keyed by its first job", Map.of(0, Set.of(sequences.get(0)), 1, Set.of(), 2,
                Set.of(), 3, Set.of()), keysByMap());
        JobStore again = open();
        assertEquals(3, again.size());
        again.close();
        JobStore third = JobStore.open("p", file());
        assertEquals(List.of("a", "b", "c"), names(third.recover().jobs()));
        third.close();
    }

    @Test
    public void aJobSettledBeforeItsCommitIsNeverWritten() {
        JobStore store = open();
        List<Long> sequences = push(store, "gone", "kept");
        store.settle(sequences.get(0));
        assertEquals(1, store.size());
        commit(store);
        store.close();

        assertEquals("the batch starts at the first job kept", Set.of(sequences.get(1)), keysByMap().get(0));
        try (MVStore raw = new MVStore.Builder().fileName(file().toString()).readOnly().open()) {
            assertTrue(raw.<Long, byte[]>openMap(JobStore.SETTLED).isEmpty());
        }
    }

    @Test
    public void settledJobsOfABatchDoNotComeBackAfterACrashAndAFullySettledBatchIsRemoved() {
        JobStore store = open();
        List<Long> first = push(store, "a", "b", "c");
        commit(store);
        List<Long> second = push(store, "d");
        store.settle(first.get(0));
        store.settle(first.get(2));
        store.settle(second.get(0)); // requeued, say: never written
        commit(store);
        store.settle(first.get(1)); // not committed: the crash loses this settlement
        store.closeWithoutWriting();

        JobStore after = JobStore.open("p", file());
        assertEquals("b ran at the crash without its settlement committed: it comes back", List.of("b"),
                names(after.recover().jobs()));
        assertEquals(1, after.size());
        after.settle(first.get(1));
        assertEquals(0, after.size());
        commit(after);
        after.close();

        assertEquals(Map.of(0, Set.of(), 1, Set.of(), 2, Set.of(), 3, Set.of()), keysByMap());
        try (MVStore raw = new MVStore.Builder().fileName(file().toString()).readOnly().open()) {
            assertTrue("no bit set is left of a removed batch", raw.<Long, byte[]>openMap(JobStore.SETTLED)
                    .isEmpty());
        }
    }

    @Test
    public void aTakenJobComesBackWithItsAttemptCountedAndItsBatchRewrittenInPlace() {
        JobStore store = open();
        List<Long> sequences = push(store, "a", "b");
        commit(store);
        store.markTaken(sequences.get(1));
        commit(store);
        store.closeWithoutWriting();

        JobStore after = JobStore.open("p", file());
        JobStore.Recovered recovered = after.recover();
        assertEquals(1, recovered.wereRunning());
        assertEquals(List.of("a", "b"), names(recovered.jobs()));
        assertNull(recovered.jobs().get(0).message().headers().get("x-jobs-attempt"));
        assertEquals(List.of("2"), recovered.jobs().get(1).message().headers().get("x-jobs-attempt"));
        after.close();
        JobStore third = JobStore.open("p", file());
        assertEquals("the count is in the file, once", List.of("2"),
                third.recover().jobs().get(1).message().headers().get("x-jobs-attempt"));
        third.close();
    }

    @Test
    public void aNewBatchGoesIntoAMapWhoseLastBatchIsGone() {
        JobStore store = open();
        long first = push(store, "a").get(0);
        commit(store);
        long second = push(store, "b").get(0);
        commit(store);
        store.settle(first);
        commit(store);
        long third = push(store, "c").get(0);
        commit(store);
        store.close();

        // beside a live batch, MVStore would copy that batch's leaf and write the batch again
        assertEquals(Map.of(0, Set.of(third), 1, Set.of(second), 2, Set.of(), 3, Set.of()), keysByMap());
    }

    @Test
    public void aJobIsReadBackFromItsBatchOrFromThePendingOne() {
        JobStore store = open();
        List<Long> written = push(store, "a", "b", "c");
        commit(store);
        List<Long> pending = push(store, "d");
        assertEquals("b", store.read(written.get(1)).message().name());
        assertEquals("d", store.read(pending.get(0)).message().name());
        store.settle(written.get(1));
        commit(store);
        assertEquals("c", store.read(written.get(2)).message().name());
        assertNull("no such job", store.read(pending.get(0) + 100));
        store.close();
    }

    @Test
    public void aFileOfLayoutOneIsRefusedByNameAndLeftAsItWas() throws IOException {
        try (MVStore old = new MVStore.Builder().fileName(file().toString()).open()) {
            old.setStoreVersion(1);
            old.<Long, byte[]>openMap("jobs").put(1L, new byte[] {1});
            old.<Long, Boolean>openMap("taken").put(1L, Boolean.TRUE);
        }
        byte[] before = Files.readAllBytes(file());
        try {
            JobStore.open("p", file());
            fail("opened a file of layout 1");
        } catch (JobsException e) {
            assertEquals(JobsException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage(), e.getMessage().contains(file().toString())
                    && e.getMessage().contains("has job store layout 1, this driver reads layout 2"));
        }
        assertArrayEquals("the failed open wrote nothing", before, Files.readAllBytes(file()));
    }
}
