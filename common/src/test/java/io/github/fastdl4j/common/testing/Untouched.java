package io.github.fastdl4j.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bytes of files and folders (everything under them, hidden files included) before a
 * command, to check that a refused command changed nothing: {@code Untouched u = Untouched.of(run, csv);
 * ... u.check();}. And the shape of a refusal: exit code 2, one line, before any data was read.
 */
public final class Untouched {

    private final Map<String, byte[]> before;
    private final Path[] roots;

    private Untouched(Path[] roots) {
        this.roots = roots;
        this.before = read(roots);
    }

    public static Untouched of(Path... roots) {
        return new Untouched(roots);
    }

    /** Every file as it was, none added or removed (beside the roots: no partial folders left). */
    public void check() {
        Map<String, byte[]> now = read(roots);
        assertEquals(before.keySet(), now.keySet(), "the same files");
        before.forEach((name, bytes) -> assertArrayEquals(bytes, now.get(name), name + " changed"));
        for (Path r : roots) {
            Path partial = r.toAbsolutePath().resolveSibling("." + r.getFileName() + ".partial");
            assertTrue(Files.notExists(partial, LinkOption.NOFOLLOW_LINKS), partial + " left behind");
        }
    }

    /** A refusal as promised: exit code 2 and one error line that contains each of {@code words}. */
    public static void refused(CliRun r, String... words) {
        assertEquals(2, r.code(), r.out() + r.err());
        // the backend line some commands print to stderr is information, not part of the refusal
        String err = r.err().lines().filter(l -> !l.startsWith("backend: ")).collect(Collectors.joining("\n"))
                .strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("error: "), err);
        for (String w : words) {
            assertTrue(err.contains(w), "'" + w + "' in: " + err);
        }
    }

    private static Map<String, byte[]> read(Path[] roots) {
        Map<String, byte[]> m = new TreeMap<>();
        for (Path root : roots) {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                m.put(root + " (absent)", new byte[0]);
                continue;
            }
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.toList()) {
                    m.put(p.toString(), Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.readAllBytes(p) : new byte[]{'/'});
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return m;
    }
}
