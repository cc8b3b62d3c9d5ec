package io.github.fastdl4j.common.io;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes files so that readers never see a half-written one: the content goes to a temporary
 * file in the same folder, which is renamed over the target only once it is complete.
 */
public final class AtomicFiles {

    /** Something that writes a file's content to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} atomically; on any failure the target is untouched and no temp file is
     * left, and the error names the target (a full disk says which file it could not write). The
     * file gets the permissions the user's umask gives new files, and its bytes reach the disk
     * before it is renamed into place.
     */
    public static void write(Path target, Writer writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            removeStaleParts(dir, abs.getFileName().toString());
            // not Files.createTempFile: that creates files readable by their owner only, whatever the umask
            tmp = dir.resolve("." + abs.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".part");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16) {
                    @Override
                    public void close() throws IOException {
                        flush(); // the channel is ours to force and close
                    }
                };
                writer.write(out);
                out.flush();
                ch.force(true);
            }
            moveIntoPlace(tmp, abs);
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw m.contains(abs.toString()) ? e : new IOException("cannot write " + abs + ": " + m, e);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Temporary files of this target that a killed write left, an hour old or more (no live write takes that long to start). */
    private static void removeStaleParts(Path dir, String name) {
        long cutoff = System.currentTimeMillis() - 3_600_000L;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "." + name + ".*.part")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(p).toMillis() < cutoff) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException ignored) {
            // leftovers are hidden and harmless
        }
    }

    /**
     * Checks, before any work, that {@code target} can be written as a file: not a folder, not under
     * a file, its folder creatable and writable; otherwise a {@link RunFolder.Refused} (a usage
     * error on the command line) naming it.
     */
    public static void checkTarget(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new RunFolder.Refused(target + ": is a folder; a file name is needed");
        }
        Path dir = abs.getParent();
        if (dir == null) {
            throw new RunFolder.Refused(target + ": not a file name");
        }
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new RunFolder.Refused(target + ": " + p + " is a file, not a folder");
                }
                if (!Files.isWritable(p)) {
                    throw new RunFolder.Refused(target + ": " + p + " is not writable");
                }
                return;
            }
        }
    }

    /** Something that writes a file's content as text. */
    @FunctionalInterface
    public interface TextWriter {
        void write(java.io.Writer out) throws IOException;
    }

    /** Writes a UTF-8 text file atomically, through a buffered writer. */
    public static void writeText(Path target, TextWriter writer) throws IOException {
        write(target, out -> {
            java.io.Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            // closing is ours to do after a complete write: a writer that closes (e.g. CSVPrinter) only flushes
            writer.write(new FilterWriter(w) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            });
            w.flush();
        });
    }

    /** Writes a UTF-8 string atomically. */
    public static void writeString(Path target, String content) throws IOException {
        write(target, out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    /** Renames a finished temporary file over its target, atomically where the file system allows. */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
