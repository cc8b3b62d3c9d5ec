package io.github.fastdl4j.common.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An output folder written as a unit: everything goes into a hidden sibling
 * {@code .<name>.partial/}, which is renamed to {@code <name>} only when the run is complete, so a
 * killed run never leaves a new model beside an old report. The folder is checked when it is
 * opened, before any data is read: a path that is a file or lies under one, a parent that cannot be
 * created or written, a mount point (which cannot be renamed), or an existing folder that is not a
 * fastdl4j run folder is refused. A lock on the partial folder makes a second run writing the same
 * folder at the same time refuse at once. What a killed run leaves is put right by the next run
 * that takes the lock: a half-written partial folder is emptied, and a run killed between the two
 * renames of its commit is completed (or the earlier run restored). Nothing here ever follows a
 * symbolic link or deletes a folder fastdl4j did not write.
 *
 * <p>A command that says what kind it is ({@code "vision train"}, {@link #open(Path, String, Set)})
 * records that kind and the names it wrote in the folder's marker, and replaces only a folder of
 * its own kind: {@code vision interpret --out R} on a trained run {@code R} is refused, never a
 * lost model. A folder whose marker names no kind (written before kinds were recorded, or with no
 * marker at all) is replaced only if it holds nothing but what this command writes.
 *
 * <pre>{@code
 * try (RunFolder run = RunFolder.open(out)) {   // before loading data
 *     ... write run.resolve("model.zip"), run.resolve("metrics.json") ...
 *     run.commit();                             // the folder appears complete, or not at all
 * }
 * }</pre>
 */
public final class RunFolder implements AutoCloseable {

    /** Marks a folder fastdl4j wrote. */
    public static final String MARKER = ".fastdl4j-run";
    /** The folder cannot be used; the message says why, naming it. Command lines exit with code 2. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private final Path target;
    private final Path staging;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<Path> createdParents;
    /** A resumed run's partial folder: kept as it is when the run does not finish (its checkpoint is the user's). */
    private final boolean resumed;
    private final String kind;
    private final Set<String> entries;
    private boolean committed;

    private RunFolder(Path target, Path staging, FileChannel lockChannel, FileLock lock, List<Path> createdParents,
                      boolean resumed, String kind, Set<String> entries) {
        this.target = target;
        this.staging = staging;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.createdParents = createdParents;
        this.resumed = resumed;
        this.kind = kind;
        this.entries = entries;
    }

    /** Checks {@code folder}, takes its lock and prepares an empty partial folder (see the class comment). */
    public static RunFolder open(Path folder) {
        return open(folder, null, null, Set.of());
    }

    /**
     * As {@link #open(Path)} for a command of the given kind (e.g. {@code "vision interpret"})
     * that writes the top-level entries {@code writes}: an existing folder is replaced only if a
     * command of the same kind wrote it (or, for a folder whose marker names no kind, if it holds
     * nothing but {@code writes}); otherwise a {@link Refused} naming the kind that wrote it.
     */
    public static RunFolder open(Path folder, String kind, Set<String> writes) {
        checkEntries(writes);
        return open(folder, null, kind, Set.copyOf(writes));
    }

    /**
     * As {@link #open(Path)}, for a command that writes entries of its own besides the usual run
     * files (export-images writes {@code train/} and {@code valid/}): their names are recorded in
     * the folder's marker, so the next run of the same command replaces the folder, while a file the
     * user put beside them still keeps it from being replaced.
     */
    public static RunFolder open(Path folder, Set<String> entries) {
        checkEntries(entries);
        return open(folder, null, null, Set.copyOf(entries));
    }

    private static void checkEntries(Set<String> entries) {
        for (String e : entries) {
            if (e.isEmpty() || e.contains("/") || e.contains("\\") || e.startsWith(".") || e.contains("\n")) {
                throw new IllegalArgumentException("not a plain entry name: " + e);
            }
        }
    }

    /**
     * A new folder named {@code base}, or {@code base-2}, {@code base-3}, ... when that name is
     * taken or being written: for default names (a timestamp), so that two runs started in the same
     * second do not collide.
     */
    public static RunFolder openNew(Path base) {
        return openNew(base, null, Set.of());
    }

    /** As {@link #openNew(Path)} for a command of a kind (see {@link #open(Path, String, Set)}). */
    public static RunFolder openNew(Path base, String kind, Set<String> writes) {
        checkEntries(writes);
        for (int i = 1; ; i++) {
            Path p = i == 1 ? base : base.resolveSibling(base.getFileName() + "-" + i);
            Path partial = p.resolveSibling("." + p.getFileName() + ".partial");
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) || Files.exists(partial, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                return open(p, null, kind, Set.copyOf(writes));
            } catch (Refused e) {
                if (i > 100 || !e.getMessage().contains("another fastdl4j run")) {
                    throw e;
                }
            }
        }
    }

    /**
     * As {@link #open(Path)}, but keeps the partial folder a killed run left if it holds
     * {@code keep} (a checkpoint to resume from); without it that is refused.
     */
    public static RunFolder resume(Path folder, String keep) {
        return open(folder, keep, null, Set.of());
    }

    /**
     * As {@link #resume(Path, String)} for a command of a kind: the partial folder must be one this
     * kind of command left. Until {@link #commit}, nothing in the partial folder is removed: a
     * resume that is refused or fails leaves the checkpoint for the next try.
     */
    public static RunFolder resume(Path folder, String keep, String kind, Set<String> writes) {
        checkEntries(writes);
        return open(folder, keep, kind, Set.copyOf(writes));
    }

    private static RunFolder open(Path folder, String keep, String kind, Set<String> entries) {
        Path target = folder.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) {
            throw new Refused(folder + ": an output folder cannot be the root folder");
        }
        for (Path p = target; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new Refused(folder + ": " + (p.equals(target) ? "is a file" : p + " is a file")
                            + "; an output folder is needed");
                }
                break;
            }
        }
        if (Files.isSymbolicLink(target)) {
            throw new Refused(folder + ": is a symbolic link; a run folder is replaced as a whole, give a real folder");
        }
        if (Files.isDirectory(target)) {
            RunMarker.Marker m = RunMarker.read(target);
            if (kind != null && m.kind() != null && !m.kind().equals(kind)) {
                throw new Refused(folder + ": is the folder of '" + m.kind() + "', which '" + kind + "' does not replace; "
                        + "choose another folder");
            }
            // a folder of this kind: only what it recorded; of no recorded kind: only what this command writes
            String foreign = kind == null ? RunMarker.foreignEntry(target) : m.kind() != null ? RunMarker.foreignEntry(target, m.entries(), entries)
                    : RunMarker.foreignEntry(target, entries, Set.of());
            if (foreign != null && kind != null && m.kind() == null && RunMarker.WRITTEN.contains(foreign)) {
                throw new Refused(folder + ": holds " + foreign + ", which '" + kind + "' does not write (another fastdl4j "
                        + "command's output); choose another folder");
            }
            if (foreign != null) {
                throw new Refused(folder + ": the folder exists and holds files fastdl4j did not write (" + foreign
                        + "); choose a new folder, or empty it");
            }
            if (Trees.isMountPoint(target)) {
                throw new Refused(folder + ": is a mount point, which cannot be replaced as a whole; give a folder inside it");
            }
        }
        List<Path> created = new ArrayList<>();
        try {
            for (Path p = parent; p != null && !Files.exists(p); p = p.getParent()) {
                created.add(0, p);
            }
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new Refused(folder + ": cannot create " + parent + " (" + Trees.reason(e) + ")");
        }
        if (!Files.isWritable(parent)) {
            Trees.removeEmpty(created);
            throw new Refused(folder + ": " + parent + " is not writable");
        }
        Path staging = parent.resolve("." + target.getFileName() + ".partial");
        Path old = parent.resolve("." + target.getFileName() + ".old");
        for (int attempt = 0; ; attempt++) {
            if (Files.isSymbolicLink(staging) || (Files.exists(staging, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(staging,
                    LinkOption.NOFOLLOW_LINKS))) {
                Trees.removeEmpty(created);
                throw new Refused(folder + ": " + staging + " exists and is not a folder fastdl4j made; remove it");
            }
            if (keep != null && !Files.isRegularFile(staging.resolve(keep), LinkOption.NOFOLLOW_LINKS)) {
                throw new Refused(folder + ": nothing to resume (no " + keep + " in " + staging
                        + "; a run writes one with --checkpoint)");
            }
            FileChannel ch = null;
            try {
                if (Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS) && RunMarker.foreignEntry(staging) != null) {
                    throw new Refused(folder + ": " + staging + " holds files fastdl4j did not write; remove it");
                }
                if (kind != null && Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
                    String left = RunMarker.read(staging).kind();
                    if (left != null && !left.equals(kind) && (keep != null
                            || Files.isRegularFile(staging.resolve(RunMarker.CHECKPOINT), LinkOption.NOFOLLOW_LINKS))) {
                        // a killed run of another command that can be resumed: its checkpoint is not ours to drop
                        throw new Refused(folder + ": " + staging + " holds a killed '" + left + "' run that can be "
                                + "resumed; choose another folder");
                    }
                }
                Files.createDirectories(staging);
                ch = FileChannel.open(staging.resolve(RunMarker.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS);
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // this process already writes it
                }
                if (lock == null) {
                    ch.close();
                    throw new Refused(folder + ": another fastdl4j run is writing this folder right now ("
                            + staging + " is locked); wait for it or choose another folder");
                }
                if (!Files.exists(staging.resolve(RunMarker.LOCK)) && attempt == 0) {
                    // the run that held it has just finished and moved the folder: start afresh
                    lock.release();
                    ch.close();
                    continue;
                }
                if (recover(target, staging, old) && attempt < 3) {
                    // a killed commit was completed: the partial folder (and this lock) moved into place
                    lock.release();
                    ch.close();
                    continue;
                }
                sweepStale(parent, staging);
                if (keep != null) {
                    return new RunFolder(target, staging, ch, lock, created, true, kind, entries);
                }
                Trees.clean(staging);
                RunMarker.write(staging, kind, entries);
                return new RunFolder(target, staging, ch, lock, created, false, kind, entries);
            } catch (Refused e) {
                Trees.closeQuietly(ch);
                throw e;
            } catch (IOException e) {
                Trees.closeQuietly(ch);
                throw new Refused(folder + ": cannot prepare " + staging + " (" + Trees.reason(e) + ")");
            }
        }
    }

    /**
     * Puts right a commit that was killed between its two renames (the earlier run moved to
     * {@code .old}, the new one still partial): a complete partial folder is moved into place,
     * otherwise the earlier run is restored. Returns whether the partial folder moved.
     */
    private static boolean recover(Path target, Path staging, Path old) throws IOException {
        if (!Files.isDirectory(old, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (RunMarker.foreignEntry(old) != null) {
            throw new Refused(target + ": " + old + " holds files fastdl4j did not write; remove it");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(old); // the commit completed; only its clean-up was cut short
            return false;
        }
        if (Files.isRegularFile(staging.resolve(RunMarker.COMPLETE), LinkOption.NOFOLLOW_LINKS)) {
            Trees.move(staging, target);
            Files.deleteIfExists(target.resolve(RunMarker.LOCK));
            deleteTree(old);
            return true;
        }
        Trees.move(old, target);
        return false;
    }

    /** Partial folders beside this one that no process holds and that cannot be resumed: left by killed runs. */
    private static void sweepStale(Path parent, Path mine) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, ".*.partial")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                Path old = parent.resolve(name.substring(0, name.length() - ".partial".length()) + ".old");
                // kept: a run that can be resumed, and a commit cut short (the next run of that folder completes it)
                if (p.equals(mine) || !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                        || !Files.isRegularFile(p.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)
                        || Files.exists(p.resolve(RunMarker.CHECKPOINT)) || Files.exists(p.resolve(RunMarker.COMPLETE))
                        || Files.exists(old, LinkOption.NOFOLLOW_LINKS) || RunMarker.foreignEntry(p) != null) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(p.resolve(RunMarker.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    FileLock l = ch.tryLock();
                    if (l != null) {
                        deleteTree(p);
                        l.release();
                    }
                } catch (IOException | OverlappingFileLockException ignored) {
                    // in use, or not ours to clean: leave it
                }
            }
        } catch (IOException ignored) {
            // nothing to sweep
        }
    }

    /** The folder being written (the partial one until {@link #commit}). */
    public Path dir() {
        return committed ? target : staging;
    }

    /** A path inside the folder being written. */
    public Path resolve(String name) {
        return dir().resolve(name);
    }

    /** Where the folder appears once committed. */
    public Path target() {
        return target;
    }

    /**
     * Moves the complete folder into place, replacing an earlier run folder of the same name, and
     * releases the lock. A failure names the folder; clean-up after the folder is in place only
     * warns (the run is not lost for it).
     */
    public void commit() throws IOException {
        if (committed) {
            return;
        }
        Path old = target.resolveSibling("." + target.getFileName() + ".old");
        try {
            if (kind != null) {
                // what was written, so that the next run of this kind replaces exactly that
                Set<String> wrote = new TreeSet<>(entries);
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(staging)) {
                    for (Path p : ds) {
                        String name = p.getFileName().toString();
                        if (!name.startsWith(".") && !name.contains("\n")) {
                            wrote.add(name);
                        }
                    }
                }
                Files.deleteIfExists(staging.resolve(MARKER));
                RunMarker.write(staging, kind, wrote);
            }
            Files.createFile(staging.resolve(RunMarker.COMPLETE));
            deleteTree(old);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Trees.move(target, old);
            }
            Trees.move(staging, target);
            committed = true;
        } catch (IOException e) {
            release();
            throw new IOException(target + ": cannot move the finished run into place (" + Trees.reason(e) + ")", e);
        }
        try {
            Files.deleteIfExists(target.resolve(RunMarker.LOCK));
            Files.deleteIfExists(target.resolve(RunMarker.COMPLETE));
            deleteTree(old);
        } catch (IOException e) {
            System.err.println("warning: " + target + " is in place, but " + old + " could not be removed (" + Trees.reason(e) + ")");
        } finally {
            release();
        }
    }

    /**
     * Without {@link #commit}: removes the partial folder (a failed run leaves nothing, the parent
     * folders it created included) and releases the lock.
     */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        if (resumed) {
            release(); // the checkpoint stays for the next --resume
            return;
        }
        try {
            Trees.clean(staging);
            Files.deleteIfExists(staging.resolve(MARKER));
            Files.deleteIfExists(staging.resolve(RunMarker.LOCK));
            Files.deleteIfExists(staging);
            Trees.removeEmpty(createdParents);
        } catch (IOException ignored) {
            // a leftover partial folder is cleaned by the next run that writes here
        } finally {
            release();
        }
    }

    private void release() {
        try {
            lock.release();
        } catch (IOException | IllegalStateException ignored) {
            // closing the channel releases it too
        }
        Trees.closeQuietly(lockChannel);
    }

    /** The kind of command that wrote a fastdl4j folder (null: none recorded, or not a fastdl4j folder). */
    public static String kindOf(Path dir) {
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) ? RunMarker.read(dir).kind() : null;
    }

    /** Whether a folder holds the marker of a fastdl4j run folder. */
    public static boolean isRunFolder(Path dir) {
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && RunMarker.read(dir).present();
    }

    /** Whether {@code name} in the fastdl4j folder {@code dir} is something a command wrote there (not the user). */
    public static boolean wrote(Path dir, String name) {
        RunMarker.Marker m = RunMarker.read(dir);
        return m.present() && (m.entries().contains(name) || (m.kind() == null && RunMarker.WRITTEN.contains(name)));
    }

    /** Deletes a file or a folder with everything in it, never following symbolic links; no error if absent. */
    public static void deleteTree(Path root) throws IOException {
        Trees.deleteTree(root);
    }
}
