package io.github.fastdl4j.common.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run folder appears whole or not at all, is checked before work starts, and is written by one run at a time. */
class RunFolderTest {

    @TempDir
    Path tmp;

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void nothingAppearsUntilCommitAndAFailedRunLeavesNothing() throws IOException {
        Path out = tmp.resolve("run");
        try (RunFolder run = RunFolder.open(out)) {
            AtomicFiles.writeString(run.resolve("model.zip"), "model");
            assertFalse(Files.exists(out), "not visible before commit");
        } // no commit: a failed run
        assertEquals(List.of(), names(tmp));
        try (RunFolder run = RunFolder.open(out)) {
            AtomicFiles.writeString(run.resolve("model.zip"), "model");
            AtomicFiles.writeString(run.resolve("metrics.json"), "{}");
            run.commit();
            assertEquals(out, run.dir());
        }
        assertEquals(List.of(".fastdl4j-run", "metrics.json", "model.zip"), names(out));
        assertEquals(List.of("run"), names(tmp), "no partial or lock files left beside it");
    }

    @Test
    void aNewRunReplacesAnEarlierOneAsAUnit() throws IOException {
        Path out = tmp.resolve("run");
        try (RunFolder run = RunFolder.open(out)) {
            AtomicFiles.writeString(run.resolve("model.zip"), "old");
            AtomicFiles.writeString(run.resolve("lr_find.png"), "x");
            run.commit();
        }
        try (RunFolder run = RunFolder.open(out)) {
            AtomicFiles.writeString(run.resolve("model.zip"), "new");
            assertEquals("old", Files.readString(out.resolve("model.zip")), "the earlier run stays until the new one is complete");
            run.commit();
        }
        assertEquals("new", Files.readString(out.resolve("model.zip")));
        assertFalse(Files.exists(out.resolve("lr_find.png")), "no file of the earlier run is mixed in");
    }

    @Test
    void leftoversOfAKilledRunAreCleanedByTheNext() throws IOException {
        Path out = tmp.resolve("run");
        Path partial = tmp.resolve(".run.partial");
        Files.createDirectories(partial);
        Files.writeString(partial.resolve("model.zip"), "half");
        Files.writeString(partial.resolve(".metrics.json.abc.part"), "half");
        try (RunFolder run = RunFolder.open(out)) {
            assertEquals(List.of(".fastdl4j-run", ".lock"), names(run.dir()));
            run.commit();
        }
        assertEquals(List.of(".fastdl4j-run"), names(out));
    }

    @Test
    void badFoldersAreRefusedBeforeAnythingIsWritten() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertTrue(assertThrows(RunFolder.Refused.class, () -> RunFolder.open(file)).getMessage().contains("is a file"));
        RunFolder.Refused under = assertThrows(RunFolder.Refused.class, () -> RunFolder.open(file.resolve("x/y")));
        assertTrue(under.getMessage().contains(file + " is a file"), under.getMessage());
        Path mine = Files.createDirectories(tmp.resolve("thesis"));
        Files.writeString(mine.resolve("chapter1.tex"), "precious");
        RunFolder.Refused foreign = assertThrows(RunFolder.Refused.class, () -> RunFolder.open(mine));
        assertTrue(foreign.getMessage().contains("fastdl4j did not write"), foreign.getMessage());
        assertEquals("precious", Files.readString(mine.resolve("chapter1.tex")));
        assertEquals(List.of("file", "thesis"), names(tmp));
    }

    @Test
    void aSecondRunInTheSameProcessIsRefused() throws IOException {
        Path out = tmp.resolve("run");
        try (RunFolder first = RunFolder.open(out)) {
            RunFolder.Refused e = assertThrows(RunFolder.Refused.class, () -> RunFolder.open(out));
            assertTrue(e.getMessage().contains("another fastdl4j run is writing"), e.getMessage());
            AtomicFiles.writeString(first.resolve("model.zip"), "first");
            first.commit();
        }
        assertEquals("first", Files.readString(out.resolve("model.zip")));
    }

    @Test
    void aRunInAnotherProcessHoldsTheFolder() throws Exception {
        Path out = tmp.resolve("run");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(),
                out.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(other.getInputStream()));
            assertEquals("holding", r.readLine());
            RunFolder.Refused e = assertThrows(RunFolder.Refused.class, () -> RunFolder.open(out));
            assertTrue(e.getMessage().contains("another fastdl4j run is writing"), e.getMessage());
        } finally {
            other.destroyForcibly(); // like kill -9: the lock goes with the process
            other.waitFor(10, TimeUnit.SECONDS);
        }
        try (RunFolder run = RunFolder.open(out)) {
            assertEquals(List.of(".fastdl4j-run", ".lock"), names(run.dir()), "the killed run's files are cleaned");
            run.commit();
        }
    }

    /** Opens a run folder and holds it until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            RunFolder run = RunFolder.open(Path.of(args[0]));
            AtomicFiles.writeString(run.resolve("model.zip"), "half-done");
            System.out.println("holding");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }

    @Test
    void aFolderWithTheUsersFilesIsNeverReplacedEvenBesideRunFiles() throws IOException {
        Path mixed = Files.createDirectories(tmp.resolve("mixed"));
        Files.writeString(mixed.resolve("metrics.json"), "{}");
        Files.writeString(mixed.resolve("thesis.tex"), "precious");
        RunFolder.Refused e = assertThrows(RunFolder.Refused.class, () -> RunFolder.open(mixed));
        assertTrue(e.getMessage().contains("thesis.tex"), e.getMessage());
        // a run folder of fastdl4j 0.1 (no marker, only what a run writes) is replaced
        Path old = Files.createDirectories(tmp.resolve("old"));
        Files.writeString(old.resolve("metrics.json"), "{}");
        Files.createDirectories(old.resolve("charts"));
        try (RunFolder run = RunFolder.open(old)) {
            run.commit();
        }
        assertEquals(List.of(".fastdl4j-run"), names(old));
    }

    @Test
    void aCommandsOwnEntriesAreRecordedSoItsNextRunReplacesThem() throws IOException {
        Path out = tmp.resolve("images");
        for (int round = 0; round < 2; round++) {
            try (RunFolder run = RunFolder.open(out, Set.of("train", "valid"))) {
                Files.createDirectories(run.resolve("train/3"));
                Files.writeString(run.resolve("train/3/" + round + ".png"), "png");
                Files.createDirectories(run.resolve("valid"));
                run.commit();
            }
        }
        assertEquals(List.of(".fastdl4j-run", "train", "valid"), names(out));
        assertEquals(List.of("1.png"), names(out.resolve("train/3")));
        // the recorded names cover what the command wrote, never a file the user put beside them
        Files.writeString(out.resolve("notes.txt"), "mine");
        RunFolder.Refused e = assertThrows(RunFolder.Refused.class, () -> RunFolder.open(out, Set.of("train", "valid")));
        assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
        // it is a run folder like any other: a later run of another command may replace it
        Files.delete(out.resolve("notes.txt"));
        try (RunFolder run = RunFolder.open(out)) {
            run.commit();
        }
        assertEquals(List.of(".fastdl4j-run"), names(out));
    }

    @Test
    void symbolicLinksAreNeverFollowed() throws IOException {
        Path victim = Files.createDirectories(tmp.resolve("victim"));
        Files.writeString(victim.resolve("a.txt"), "keep");
        Files.createSymbolicLink(tmp.resolve(".run.partial"), victim);
        RunFolder.Refused e = assertThrows(RunFolder.Refused.class, () -> RunFolder.open(tmp.resolve("run")));
        assertTrue(e.getMessage().contains("is not a folder fastdl4j made"), e.getMessage());
        assertEquals("keep", Files.readString(victim.resolve("a.txt")));
        Files.createSymbolicLink(tmp.resolve("link"), victim);
        assertThrows(RunFolder.Refused.class, () -> RunFolder.open(tmp.resolve("link")));
        assertEquals("keep", Files.readString(victim.resolve("a.txt")));
    }

    @Test
    void aCommitKilledBetweenItsRenamesIsPutRight() throws IOException {
        // killed after the earlier run moved aside, the new one complete: the next open finishes the commit
        Path out = tmp.resolve("run");
        Path old = Files.createDirectories(tmp.resolve(".run.old"));
        Files.writeString(old.resolve(".fastdl4j-run"), "");
        Files.writeString(old.resolve("model.zip"), "old");
        Path partial = Files.createDirectories(tmp.resolve(".run.partial"));
        Files.writeString(partial.resolve(".fastdl4j-run"), "");
        Files.writeString(partial.resolve(".fastdl4j-complete"), "");
        Files.writeString(partial.resolve("model.zip"), "new");
        try (RunFolder next = RunFolder.open(tmp.resolve("other"))) {
            assertTrue(Files.exists(partial), "another folder's open leaves this one alone");
        }
        try (RunFolder again = RunFolder.open(out)) {
            assertEquals("new", Files.readString(out.resolve("model.zip")), "the finished run is in place");
            assertFalse(Files.exists(old));
        }
        // killed before the new run was complete: the earlier run comes back
        Files.move(out, old);
        Files.createDirectories(partial);
        Files.writeString(partial.resolve(".fastdl4j-run"), "");
        Files.writeString(partial.resolve("model.zip"), "half");
        try (RunFolder again = RunFolder.open(out)) {
            assertEquals("new", Files.readString(out.resolve("model.zip")), "the earlier run is restored");
        }
    }

    @Test
    void defaultNamesDoNotCollideAndStaleLeftoversAreSwept() throws IOException {
        Path base = tmp.resolve("runs/collab-dot-20260101-000000");
        try (RunFolder a = RunFolder.openNew(base); RunFolder b = RunFolder.openNew(base)) {
            assertEquals(base.toAbsolutePath(), a.target());
            assertEquals(tmp.resolve("runs/collab-dot-20260101-000000-2").toAbsolutePath(), b.target());
            a.commit();
            b.commit();
        }
        Path stale = Files.createDirectories(tmp.resolve("runs/.collab-dot-20250101-000000.partial"));
        Files.writeString(stale.resolve(".fastdl4j-run"), "");
        Files.writeString(stale.resolve("metrics.json"), "{}");
        Path resumable = Files.createDirectories(tmp.resolve("runs/.collab-dot-20250101-000001.partial"));
        Files.writeString(resumable.resolve(".fastdl4j-run"), "");
        Files.writeString(resumable.resolve("checkpoint.zip"), "x");
        try (RunFolder c = RunFolder.openNew(tmp.resolve("runs/collab-dot-20260101-000002"))) {
            c.commit();
        }
        assertFalse(Files.exists(stale), "a killed run's leftovers are swept");
        assertTrue(Files.exists(resumable), "a run that can be resumed is kept");
    }

    @Test
    void aFailedRunRemovesTheFoldersItCreated() throws IOException {
        Path out = tmp.resolve("new1/new2/run");
        try (RunFolder run = RunFolder.open(out)) {
            assertTrue(Files.isDirectory(tmp.resolve("new1/new2")));
        }
        assertFalse(Files.exists(tmp.resolve("new1")));
    }

    @Test
    void aFolderIsReplacedOnlyByTheKindOfCommandThatWroteIt() throws IOException {
        Path run = tmp.resolve("run");
        try (RunFolder r = RunFolder.open(run, "vision train", Set.of("model.zip", "metrics.json", "charts"))) {
            Files.writeString(r.resolve("model.zip"), "model");
            r.commit();
        }
        assertEquals("vision train", RunFolder.kindOf(run));
        RunFolder.Refused e = assertThrows(RunFolder.Refused.class,
                () -> RunFolder.open(run, "vision interpret", Set.of("interpret.json")));
        assertTrue(e.getMessage().contains("is the folder of 'vision train', which 'vision interpret' does not replace"),
                e.getMessage());
        assertEquals("model", Files.readString(run.resolve("model.zip")), "the refusal changed nothing");
        assertFalse(Files.exists(tmp.resolve(".run.partial")), "and left nothing beside it");
        // the same kind replaces it, as before
        try (RunFolder r = RunFolder.open(run, "vision train", Set.of("model.zip", "metrics.json", "charts"))) {
            Files.writeString(r.resolve("model.zip"), "model 2");
            r.commit();
        }
        assertEquals("model 2", Files.readString(run.resolve("model.zip")));
    }

    @Test
    void aFolderOfNoRecordedKindIsReplacedOnlyIfItHoldsNothingButWhatTheCommandWrites() throws IOException {
        // a trained run written before kinds were recorded: marker without a kind
        Path old = Files.createDirectories(tmp.resolve("old"));
        Files.writeString(old.resolve(".fastdl4j-run"), "");
        Files.writeString(old.resolve("model.zip"), "model");
        Files.writeString(old.resolve("metrics.json"), "{}");
        RunFolder.Refused e = assertThrows(RunFolder.Refused.class,
                () -> RunFolder.open(old, "vision interpret", Set.of("interpret.json", "top_losses.png")));
        assertTrue(e.getMessage().contains("which 'vision interpret' does not write"), e.getMessage());
        assertEquals(List.of(".fastdl4j-run", "metrics.json", "model.zip"), names(old));
        try (RunFolder r = RunFolder.open(old, "collab train", Set.of("model.zip", "metrics.json", "charts"))) {
            r.commit();
        }
        assertEquals("collab train", RunFolder.kindOf(old));
    }

    @Test
    void aResumedRunThatDoesNotFinishKeepsItsCheckpoint() throws IOException {
        Path out = tmp.resolve("run");
        Path partial = Files.createDirectories(tmp.resolve(".run.partial"));
        Files.writeString(partial.resolve(".fastdl4j-run"), "kind: collab train\n");
        Files.writeString(partial.resolve("checkpoint.zip"), "ckpt");
        try (RunFolder r = RunFolder.resume(out, "checkpoint.zip", "collab train", Set.of("model.zip"))) {
            assertEquals(partial.toAbsolutePath(), r.dir());
            // refused (other options): closed without commit
        }
        assertEquals("ckpt", Files.readString(partial.resolve("checkpoint.zip")), "a refused resume changes nothing");
        // another kind of command neither resumes nor sweeps it
        assertThrows(RunFolder.Refused.class, () -> RunFolder.resume(out, "checkpoint.zip", "tabular train", Set.of()));
        RunFolder.Refused e = assertThrows(RunFolder.Refused.class,
                () -> RunFolder.open(out, "collab lr-find", Set.of("lr_find.png")));
        assertTrue(e.getMessage().contains("a killed 'collab train' run that can be resumed"), e.getMessage());
        assertEquals("ckpt", Files.readString(partial.resolve("checkpoint.zip")));
        try (RunFolder r = RunFolder.resume(out, "checkpoint.zip", "collab train", Set.of("model.zip"))) {
            Files.delete(r.resolve("checkpoint.zip"));
            r.commit();
        }
        assertEquals("collab train", RunFolder.kindOf(out));
    }
}
