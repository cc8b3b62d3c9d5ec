package io.github.fastdl4j.common;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine seam holds: only {@code common/dl4j} and each module's {@code model} package (where a
 * DL4J graph is built) name DL4J classes ({@code org.deeplearning4j}); everything else goes
 * through {@code Trainable}, {@code NetworkModel} and the model packages.
 */
class Dl4jImportsTest {

    /** Where DL4J may be named: io/github/fastdl4j/common/dl4j/ and io/github/fastdl4j/MODULE/model/ (with subpackages). */
    private static final Pattern ALLOWED = Pattern.compile("io/github/fastdl4j/(common/dl4j|[a-z]+/model)/.*");

    @Test
    void onlyTheDl4jAndModelPackagesNameDl4j() throws IOException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> sources = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path m : modules.filter(p -> Files.isDirectory(p.resolve("src/main/java"))).toList()) {
                try (Stream<Path> files = Files.walk(m.resolve("src/main/java"))) {
                    files.filter(f -> f.toString().endsWith(".java")).forEach(sources::add);
                }
            }
        }
        // the walk found the modules (common, collab, tabular, vision ...), not an empty folder
        assertTrue(sources.stream().anyMatch(p -> p.toString().contains("/vision/src/main/java/")), "sources under " + root);
        assertTrue(sources.stream().anyMatch(p -> p.toString().contains("/common/dl4j/NetworkModel.java")), "sources under " + root);
        List<String> offenders = new ArrayList<>();
        for (Path f : sources) {
            String rel = f.toString().replace('\\', '/');
            rel = rel.substring(rel.indexOf("/src/main/java/") + "/src/main/java/".length());
            if (ALLOWED.matcher(rel).matches()) {
                continue;
            }
            // imports and names written inline alike
            if (Files.readString(f).contains("org.deeplearning4j.")) {
                offenders.add(root.relativize(f).toString());
            }
        }
        assertEquals(List.of(), offenders, "DL4J named outside common/dl4j and the model packages");
    }
}
