package io.github.fastdl4j.common.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * An output folder written as a unit: everything goes into a hidden sibling
 * {@code .<name>.partial/}, which is renamed to {@code <name>} only when the run is complete, so a
 * killed run never leaves a new model beside an old report. The folder is checked when it is
 * opened, before any data is read: a path that is a file or lies under one, a parent that cannot be
 * created or written, or an existing folder that fastdl4j did not write is refused. A lock on the
 * partial folder makes a second run writing the same folder at the same time refuse at once; a
 * partial folder left by a killed run is cleaned by the next run that takes the lock.
 *
 * <pre>{@code
 * try (RunFolder run = RunFolder.open(out)) {   // before loading data
 *     ... write run.resolve("model.zip"), run.resolve("metrics.json") ...
 *     run.commit();                             // the folder appears complete, or not at all
 * }
 * }</pre>
 */
public final class RunFolder implements AutoCloseable {

    /** Marks a folder fastdl4j wrote, so a later run may replace it. */
    public static final String MARKER = ".fastdl4j-run";
    private static final String LOCK = ".lock";
    /** Files that mark a run folder of fastdl4j 0.1, which had no marker. */
    private static final List<String> EARLIER_RUN_FILES = List.of("metrics.json", "model.zip", "truth.json", "expected.csv");

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
    private boolean committed;

    private RunFolder(Path target, Path staging, FileChannel lockChannel, FileLock lock) {
        this.target = target;
        this.staging = staging;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Checks {@code folder}, takes its lock and prepares an empty partial folder (see the class comment). */
    public static RunFolder open(Path folder) {
        return open(folder, null);
    }

    /**
     * As {@link #open(Path)}, but keeps the partial folder a killed run left if it holds
     * {@code keep} (a checkpoint to resume from); without it that is refused.
     */
    public static RunFolder resume(Path folder, String keep) {
        return open(folder, keep);
    }

    private static RunFolder open(Path folder, String keep) {
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
        if (Files.isDirectory(target) && !replaceable(target)) {
            throw new Refused(folder + ": the folder exists and holds files fastdl4j did not write; "
                    + "choose a new folder, or empty it");
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new Refused(folder + ": cannot create " + parent + " (" + reason(e) + ")");
        }
        if (!Files.isWritable(parent)) {
            throw new Refused(folder + ": " + parent + " is not writable");
        }
        for (int attempt = 0; ; attempt++) {
            Path staging = parent.resolve("." + target.getFileName() + ".partial");
            FileChannel ch = null;
            if (keep != null && !Files.isRegularFile(staging.resolve(keep))) {
                throw new Refused(folder + ": nothing to resume (no " + keep + " in " + staging
                        + "; a run writes one with --checkpoint)");
            }
            try {
                Files.createDirectories(staging);
                ch = FileChannel.open(staging.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
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
                if (keep != null) {
                    if (!Files.isRegularFile(staging.resolve(keep))) {
                        lock.release();
                        ch.close();
                        throw new Refused(folder + ": nothing to resume (no " + keep + " in " + staging
                                + "; a run writes one with --checkpoint)");
                    }
                    return new RunFolder(target, staging, ch, lock);
                }
                clean(staging);
                deleteTree(parent.resolve("." + target.getFileName() + ".old"));
                Files.createFile(staging.resolve(MARKER));
                return new RunFolder(target, staging, ch, lock);
            } catch (IOException e) {
                closeQuietly(ch);
                throw new Refused(folder + ": cannot prepare " + staging + " (" + reason(e) + ")");
            }
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
     * releases the lock. A failure names the folder.
     */
    public void commit() throws IOException {
        if (committed) {
            return;
        }
        Path old = target.resolveSibling("." + target.getFileName() + ".old");
        try {
            deleteTree(old);
            if (Files.exists(target)) {
                move(target, old);
            }
            move(staging, target);
            committed = true;
            deleteTree(old);
            Files.deleteIfExists(target.resolve(LOCK));
        } catch (IOException e) {
            throw new IOException(target + ": cannot move the finished run into place (" + reason(e) + ")", e);
        } finally {
            if (committed) {
                release();
            }
        }
    }

    /** Without {@link #commit}: removes the partial folder (a failed run leaves nothing) and releases the lock. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            clean(staging);
            Files.deleteIfExists(staging.resolve(MARKER));
            Files.deleteIfExists(staging.resolve(LOCK));
            Files.deleteIfExists(staging);
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

    private static boolean replaceable(Path dir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            boolean empty = true;
            for (Path p : ds) {
                empty = false;
                String name = p.getFileName().toString();
                if (name.equals(MARKER) || EARLIER_RUN_FILES.contains(name)) {
                    return true;
                }
            }
            return empty;
        } catch (IOException e) {
            throw new Refused(dir + ": cannot read the folder (" + reason(e) + ")");
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
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Deletes a file or a folder with everything in it; no error if absent. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
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

    private static String reason(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase()
                + (m == null ? "" : ": " + m);
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
