package io.github.fastdl4j.vision.cli;

import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.testing.Untouched;
import io.github.fastdl4j.vision.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every vision command that writes refuses an {@code --out} that is one of its inputs or another
 * command's folder, in one line (exit 2), and leaves every file as it was: interpret and
 * export-images never replace a trained run.
 */
class VisionOutputsTest {

    @TempDir
    static Path tmp;
    static Path images;     // an image folder
    static Path run;        // a run trained on it
    static Path other;      // another trained run (a copy)
    static Path exported;   // an export-images folder
    static Path model;

    private static CliRun run(String... args) {
        return CliRun.run(new VisionMain(), "vision", args);
    }

    @BeforeAll
    static void runs() throws Exception {
        images = TestImages.trainValid(tmp.resolve("images"), List.of("a", "b"), 6);
        run = tmp.resolve("run");
        CliRun t = run("train", "--images", images.toString(), "--size", "16", "--channels", "1", "--epochs", "1", "--bs", "4",
                "--out", run.toString());
        assertEquals(0, t.code(), t.err());
        model = run.resolve("model.zip");
        other = tmp.resolve("other");
        try (Stream<Path> s = Files.walk(run)) {
            for (Path p : s.toList()) {
                Path q = other.resolve(run.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        exported = tmp.resolve("exported");
        CliRun e = run("export-images", "--data", "sample", "--out", exported.toString());
        assertEquals(0, e.code(), e.err());
    }

    @Test
    void interpretNeverReplacesATrainedRunNorItsInputs() {
        Untouched u = Untouched.of(images, run, other, exported);
        String m = model.toString();
        String i = images.toString();
        Untouched.refused(run("interpret", "--model-file", m, "--images", i, "--out", run.toString()), "holds --model-file");
        Untouched.refused(run("interpret", "--model-file", m, "--images", i, "--out", other.toString()),
                "is the folder of 'vision train', which 'vision interpret' does not replace");
        Untouched.refused(run("interpret", "--model-file", m, "--images", i, "--out", m), "is --model-file");
        Untouched.refused(run("interpret", "--model-file", m, "--images", i, "--out", i), "is --images");
        Untouched.refused(run("interpret", "--model-file", m, "--images", i, "--out", exported.toString()),
                "'vision export-images'");
        u.check();
        // its own folder (by default interpret/ in the run) it writes, and replaces
        for (int round = 0; round < 2; round++) {
            CliRun r = run("interpret", "--model-file", m, "--images", i);
            assertEquals(0, r.code(), r.err());
        }
        assertTrue(Files.isRegularFile(run.resolve("interpret/confusion_matrix.csv")));
        assertTrue(Files.isRegularFile(model), "the model is still there");
    }

    @Test
    void exportImagesAndExplainNeverReplaceAnotherCommandsFolder() {
        Untouched u = Untouched.of(images, run, exported);
        Untouched.refused(run("export-images", "--data", "sample", "--out", run.toString()),
                "is the folder of 'vision train', which 'vision export-images' does not replace");
        Untouched.refused(run("export-images", "--data-dir", images.toString(), "--out", images.toString()), "is --data-dir");
        Untouched.refused(run("explain", "--out", run.toString()), "'vision train'");
        Untouched.refused(run("explain", "--out", exported.toString()), "'vision export-images'");
        u.check();
    }

    @Test
    void trainAndLrFindRefuseTheirImagesAndAnotherCommandsFolder() {
        Untouched u = Untouched.of(images, run, exported);
        for (String command : new String[]{"train", "lr-find"}) {
            Untouched.refused(run(command, "--images", images.toString(), "--size", "16", "--channels", "1", "--out",
                    images.toString()), "is --images");
            Untouched.refused(run(command, "--images", exported.toString(), "--out", exported.toString()), "is --images");
            Untouched.refused(run(command, "--data", "sample", "--epochs", "1", "--out", exported.toString()),
                    "'vision export-images'");
        }
        Untouched.refused(run("lr-find", "--data", "sample", "--out", run.toString()), "'vision train'");
        u.check();
    }
}
