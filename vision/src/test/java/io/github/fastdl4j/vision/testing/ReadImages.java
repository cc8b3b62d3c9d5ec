package io.github.fastdl4j.vision.testing;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.vision.data.ImageFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads pictures in a child JVM, for tests of what native decoders write on the process's
 * stderr (past {@code System.err}, so only another process sees it).
 */
public final class ReadImages {

    private ReadImages() {
    }

    /** The child: reads each picture named as a folder's 16 x 16 colour image, one line each on stdout. */
    public static void main(String[] args) {
        for (String a : args) {
            try {
                ImageFiles.readOne(Path.of(a), 16, 3);
                System.out.println("read " + a);
            } catch (BadInputException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }
    }

    /**
     * What a child JVM reading {@code files} printed.
     *
     * @return stdout's lines, and everything on stderr (logging off; but the JVM's "Picked up ..." notices)
     */
    public static Result inChild(Path work, List<Path> files) throws Exception {
        Path out = work.resolve("child-stdout.txt");
        Path err = work.resolve("child-stderr.txt");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=off", ReadImages.class.getName()));
        files.forEach(f -> cmd.add(f.toString()));
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child reading " + files.size() + " pictures did not finish");
        }
        // the JVM's own notice of JAVA_TOOL_OPTIONS is the environment's, not a decoder's
        String stderr = Files.readString(err).lines().filter(l -> !l.startsWith("Picked up "))
                .map(l -> l + "\n").reduce("", String::concat);
        return new Result(Files.readAllLines(out), stderr);
    }

    /** A child's output. */
    public record Result(List<String> lines, String stderr) {
    }
}
