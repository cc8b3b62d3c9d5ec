package io.github.fastdl4j.common.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

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
    /** Marks a partial folder whose run finished (written just before the commit's renames). */
    private static final String COMPLETE = ".fastdl4j-complete";
    private static final String LOCK = ".lock";
    private static final String CHECKPOINT = "checkpoint.zip";
    /**
     * Everything a fastdl4j command writes into its folder: a folder holding anything else is the
     * user's, and is never replaced (fastdl4j 0.1's run folders had no marker: they pass if they hold
     * nothing but these).
     */
    private static final Set<String> WRITTEN = Set.of(MARKER, COMPLETE, LOCK, "model.zip", "metrics.json", "charts",
            "summary.txt", CHECKPOINT, "lr_find.png", "interpret", "ratings.csv", "truth.json", "train.csv", "store.csv",
            "store_states.csv", "expected.csv");

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

    /** What a folder's marker says: the kind of command that wrote it (null: not recorded) and the names it wrote. */
    record Marker(boolean present, String kind, Set<String> entries) {
    }

    /** The marker line that names the command kind. */
    private static final String KIND = "kind: ";

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
            Marker m = marker(target);
            if (kind != null && m.kind() != null && !m.kind().equals(kind)) {
                throw new Refused(folder + ": is the folder of '" + m.kind() + "', which '" + kind + "' does not replace; "
                        + "choose another folder");
            }
            // a folder of this kind: only what it recorded; of no recorded kind: only what this command writes
            String foreign = kind == null ? foreignEntry(target) : m.kind() != null ? foreignEntry(target, m.entries(), entries)
                    : foreignEntry(target, entries, Set.of());
            if (foreign != null && kind != null && m.kind() == null && WRITTEN.contains(foreign)) {
                throw new Refused(folder + ": holds " + foreign + ", which '" + kind + "' does not write (another fastdl4j "
                        + "command's output); choose another folder");
            }
            if (foreign != null) {
                throw new Refused(folder + ": the folder exists and holds files fastdl4j did not write (" + foreign
                        + "); choose a new folder, or empty it");
            }
            if (isMountPoint(target)) {
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
            throw new Refused(folder + ": cannot create " + parent + " (" + reason(e) + ")");
        }
        if (!Files.isWritable(parent)) {
            removeEmpty(created);
            throw new Refused(folder + ": " + parent + " is not writable");
        }
        Path staging = parent.resolve("." + target.getFileName() + ".partial");
        Path old = parent.resolve("." + target.getFileName() + ".old");
        for (int attempt = 0; ; attempt++) {
            if (Files.isSymbolicLink(staging) || (Files.exists(staging, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(staging,
                    LinkOption.NOFOLLOW_LINKS))) {
                removeEmpty(created);
                throw new Refused(folder + ": " + staging + " exists and is not a folder fastdl4j made; remove it");
            }
            if (keep != null && !Files.isRegularFile(staging.resolve(keep), LinkOption.NOFOLLOW_LINKS)) {
                throw new Refused(folder + ": nothing to resume (no " + keep + " in " + staging
                        + "; a run writes one with --checkpoint)");
            }
            FileChannel ch = null;
            try {
                if (Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS) && foreignEntry(staging) != null) {
                    throw new Refused(folder + ": " + staging + " holds files fastdl4j did not write; remove it");
                }
                if (kind != null && Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
                    String left = marker(staging).kind();
                    if (left != null && !left.equals(kind) && (keep != null
                            || Files.isRegularFile(staging.resolve(CHECKPOINT), LinkOption.NOFOLLOW_LINKS))) {
                        // a killed run of another command that can be resumed: its checkpoint is not ours to drop
                        throw new Refused(folder + ": " + staging + " holds a killed '" + left + "' run that can be "
                                + "resumed; choose another folder");
                    }
                }
                Files.createDirectories(staging);
                ch = FileChannel.open(staging.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
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
                if (!Files.exists(staging.resolve(LOCK)) && attempt == 0) {
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
                clean(staging);
                writeMarker(staging, kind, entries);
                return new RunFolder(target, staging, ch, lock, created, false, kind, entries);
            } catch (Refused e) {
                closeQuietly(ch);
                throw e;
            } catch (IOException e) {
                closeQuietly(ch);
                throw new Refused(folder + ": cannot prepare " + staging + " (" + reason(e) + ")");
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
        if (foreignEntry(old) != null) {
            throw new Refused(target + ": " + old + " holds files fastdl4j did not write; remove it");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(old); // the commit completed; only its clean-up was cut short
            return false;
        }
        if (Files.isRegularFile(staging.resolve(COMPLETE), LinkOption.NOFOLLOW_LINKS)) {
            move(staging, target);
            Files.deleteIfExists(target.resolve(LOCK));
            deleteTree(old);
            return true;
        }
        move(old, target);
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
                        || Files.exists(p.resolve(CHECKPOINT)) || Files.exists(p.resolve(COMPLETE))
                        || Files.exists(old, LinkOption.NOFOLLOW_LINKS) || foreignEntry(p) != null) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(p.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
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
                java.util.Set<String> wrote = new java.util.TreeSet<>(entries);
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(staging)) {
                    for (Path p : ds) {
                        String name = p.getFileName().toString();
                        if (!name.startsWith(".") && !name.contains("\n")) {
                            wrote.add(name);
                        }
                    }
                }
                Files.deleteIfExists(staging.resolve(MARKER));
                writeMarker(staging, kind, wrote);
            }
            Files.createFile(staging.resolve(COMPLETE));
            deleteTree(old);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                move(target, old);
            }
            move(staging, target);
            committed = true;
        } catch (IOException e) {
            release();
            throw new IOException(target + ": cannot move the finished run into place (" + reason(e) + ")", e);
        }
        try {
            Files.deleteIfExists(target.resolve(LOCK));
            Files.deleteIfExists(target.resolve(COMPLETE));
            deleteTree(old);
        } catch (IOException e) {
            System.err.println("warning: " + target + " is in place, but " + old + " could not be removed (" + reason(e) + ")");
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
            clean(staging);
            Files.deleteIfExists(staging.resolve(MARKER));
            Files.deleteIfExists(staging.resolve(LOCK));
            Files.deleteIfExists(staging);
            removeEmpty(createdParents);
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
        closeQuietly(lockChannel);
    }

    private static void removeEmpty(List<Path> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i)); // only if empty: a non-empty folder is not deleted
            } catch (IOException ignored) {
                return;
            }
        }
    }

    /** The first entry of {@code dir} that no fastdl4j command writes, or null. */
    private static String foreignEntry(Path dir) {
        return foreignEntry(dir, WRITTEN, marker(dir).entries());
    }

    /** The first entry of {@code dir} that is in neither set (nor a marker, lock or temporary file), or null. */
    private static String foreignEntry(Path dir, Set<String> allowed, Set<String> alsoAllowed) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                boolean infrastructure = name.equals(MARKER) || name.equals(COMPLETE) || name.equals(LOCK)
                        || (name.startsWith(".") && name.endsWith(".part"));
                if (!infrastructure && !allowed.contains(name) && !alsoAllowed.contains(name)) {
                    return name;
                }
            }
            return null;
        } catch (IOException e) {
            throw new Refused(dir + ": cannot read the folder (" + reason(e) + ")");
        }
    }

    /**
     * The kind and entry names a command recorded in the folder's marker (see
     * {@link #open(Path, String, Set)}); a marker is read only when small.
     */
    static Marker marker(Path dir) {
        Path marker = dir.resolve(MARKER);
        try {
            if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
                return new Marker(false, null, Set.of());
            }
            if (Files.size(marker) > 65536) {
                return new Marker(true, null, Set.of());
            }
            Set<String> names = new java.util.HashSet<>();
            String kind = null;
            for (String line : Files.readAllLines(marker, java.nio.charset.StandardCharsets.UTF_8)) {
                if (line.startsWith(KIND)) {
                    kind = line.substring(KIND.length()).strip();
                } else if (!line.isBlank() && !line.contains("/") && !line.startsWith(".")) {
                    names.add(line.strip());
                }
            }
            return new Marker(true, kind, names);
        } catch (IOException | java.io.UncheckedIOException e) {
            return new Marker(true, null, Set.of());
        }
    }

    /** The kind of command that wrote a fastdl4j folder (null: none recorded, or not a fastdl4j folder). */
    public static String kindOf(Path dir) {
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) ? marker(dir).kind() : null;
    }

    /** Whether a folder holds the marker of a fastdl4j run folder. */
    public static boolean isRunFolder(Path dir) {
        return Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) && marker(dir).present();
    }

    /** Whether {@code name} in the fastdl4j folder {@code dir} is something a command wrote there (not the user). */
    public static boolean wrote(Path dir, String name) {
        Marker m = marker(dir);
        return m.present() && (m.entries().contains(name) || (m.kind() == null && WRITTEN.contains(name)));
    }

    private static void writeMarker(Path dir, String kind, Set<String> entries) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (kind != null) {
            sb.append(KIND).append(kind).append('\n');
        }
        sb.append(String.join("\n", new java.util.TreeSet<>(entries)));
        Files.write(dir.resolve(MARKER), sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                StandardOpenOption.CREATE_NEW);
    }

    private static boolean isMountPoint(Path dir) {
        try {
            FileStore here = Files.getFileStore(dir);
            FileStore above = Files.getFileStore(dir.getParent());
            return !here.equals(above);
        } catch (IOException e) {
            return false;
        }
    }

    /** Empties the partial folder but for its lock. */
    private static void clean(Path staging) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(staging)) {
            for (Path p : ds) {
                if (!p.getFileName().toString().equals(LOCK)) {
                    deleteTree(p);
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Deletes a file or a folder with everything in it, never following symbolic links; no error if absent. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static String reason(IOException e) {
        String m = e.getMessage();
        String kind = e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT);
        return kind + (m == null ? "" : ": " + m);
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
