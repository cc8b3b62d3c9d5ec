package io.github.fastdl4j.common.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

import static io.github.fastdl4j.common.io.RunFolder.MARKER;

/**
 * The marker file of a {@link RunFolder} ({@code .fastdl4j-run}): which kind of command wrote the
 * folder and what it wrote, read and written here so that the folder's life cycle (open, recover,
 * commit) reads apart from what makes a folder fastdl4j's. A folder holding anything a command did
 * not write is the user's, and is never replaced.
 */
final class RunMarker {

    /** Marks a partial folder whose run finished (written just before the commit's renames). */
    static final String COMPLETE = ".fastdl4j-complete";
    static final String LOCK = ".lock";
    static final String CHECKPOINT = "checkpoint.zip";

    private RunMarker() {
    }

    /**
     * Everything a fastdl4j command writes into its folder: a folder holding anything else is the
     * user's, and is never replaced (fastdl4j 0.1's run folders had no marker: they pass if they hold
     * nothing but these).
     */
    static final Set<String> WRITTEN = Set.of(MARKER, COMPLETE, LOCK, "model.zip", "metrics.json", "charts",
            "summary.txt", CHECKPOINT, "lr_find.png", "interpret", "ratings.csv", "truth.json", "train.csv", "store.csv",
            "store_states.csv", "expected.csv");

    /** What a folder's marker says: the kind of command that wrote it (null: not recorded) and the names it wrote. */
    record Marker(boolean present, String kind, Set<String> entries) {
    }

    /** The marker line that names the command kind. */
    static final String KIND = "kind: ";

    /** The first entry of {@code dir} that no fastdl4j command writes, or null. */
    static String foreignEntry(Path dir) {
        return foreignEntry(dir, WRITTEN, read(dir).entries());
    }

    /** The first entry of {@code dir} that is in neither set (nor a marker, lock or temporary file), or null. */
    static String foreignEntry(Path dir, Set<String> allowed, Set<String> alsoAllowed) {
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
            throw new RunFolder.Refused(dir + ": cannot read the folder (" + Trees.reason(e) + ")");
        }
    }

    /**
     * The kind and entry names a command recorded in the folder's marker (see
     * {@link RunFolder#open(Path, String, Set)}); a marker is read only when small.
     */
    static Marker read(Path dir) {
        Path marker = dir.resolve(MARKER);
        try {
            if (!Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
                return new Marker(false, null, Set.of());
            }
            if (Files.size(marker) > 65536) {
                return new Marker(true, null, Set.of());
            }
            Set<String> names = new HashSet<>();
            String kind = null;
            for (String line : Files.readAllLines(marker, StandardCharsets.UTF_8)) {
                if (line.startsWith(KIND)) {
                    kind = line.substring(KIND.length()).strip();
                } else if (!line.isBlank() && !line.contains("/") && !line.startsWith(".")) {
                    names.add(line.strip());
                }
            }
            return new Marker(true, kind, names);
        } catch (IOException | UncheckedIOException e) {
            return new Marker(true, null, Set.of());
        }
    }

    static void write(Path dir, String kind, Set<String> entries) throws IOException {
        StringBuilder sb = new StringBuilder();
        if (kind != null) {
            sb.append(KIND).append(kind).append('\n');
        }
        sb.append(String.join("\n", new TreeSet<>(entries)));
        Files.write(dir.resolve(MARKER), sb.toString().getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.CREATE_NEW);
    }
}
