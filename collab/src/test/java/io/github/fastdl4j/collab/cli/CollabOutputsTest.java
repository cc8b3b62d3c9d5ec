package io.github.fastdl4j.collab.cli;

import io.github.fastdl4j.collab.testing.SyntheticRatings;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.testing.Untouched;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every collab command that writes refuses an {@code --out} that is one of its inputs or another
 * command's folder, in one line (exit 2), and leaves every file as it was.
 */
class CollabOutputsTest {

    @TempDir
    static Path tmp;
    static Path ratings;     // a ratings folder (u.data, u.item)
    static Path run;         // a trained run
    static Path generated;   // a generate folder
    static Path model;

    private static CliRun run(String... args) {
        return CliRun.run(new CollabMain(), "collab", args);
    }

    @BeforeAll
    static void runs() throws Exception {
        ratings = SyntheticRatings.write(tmp.resolve("syn"), 60, 30, 10, 1);
        run = tmp.resolve("run");
        CliRun t = run("train", "--ratings", ratings.toString(), "--epochs", "1", "--factors", "4", "--out", run.toString());
        assertEquals(0, t.code(), t.err());
        model = run.resolve("model.zip");
        generated = tmp.resolve("gen");
        CliRun g = run("generate", "--users", "20", "--movies", "10", "--ratings", "60", "--out", generated.toString());
        assertEquals(0, g.code(), g.err());
    }

    @Test
    void trainAndLrFindRefuseTheirDataAndAnotherCommandsFolder() {
        Untouched u = Untouched.of(ratings, run, generated);
        for (String command : new String[]{"train", "lr-find"}) {
            Untouched.refused(run(command, "--ratings", ratings.toString(), "--out", ratings.toString()), "is --ratings");
            Untouched.refused(run(command, "--ratings", ratings.toString(), "--out", tmp.resolve("x/../syn").toString()),
                    "which this run reads");
            Untouched.refused(run(command, "--csv", ratings.resolve("u.data").toString(), "--sep", "\t", "--no-header",
                    "--out", ratings.toString()), "holds --csv");
            Untouched.refused(run(command, "--ratings", ratings.toString(), "--out", generated.toString()),
                    "'collab generate'");
        }
        Untouched.refused(run("lr-find", "--ratings", ratings.toString(), "--out", run.toString()), "'collab train'");
        Untouched.refused(run("train", "--ratings", generated.toString(), "--epochs", "1", "--out", generated.toString()),
                "is --ratings");
        u.check();
    }

    @Test
    void interpretRefusesTheModelAndAnotherCommandsFolder() throws Exception {
        Untouched u = Untouched.of(run, generated);
        Untouched.refused(run("interpret", "--model-file", model.toString(), "--out", model.toString()), "is --model-file");
        Untouched.refused(run("interpret", "--model-file", model.toString(), "--out", run.toString()), "'collab train'");
        Untouched.refused(run("interpret", "--model-file", model.toString(), "--out", generated.toString()),
                "'collab generate'");
        Path link = Files.createSymbolicLink(tmp.resolve("model-link.zip"), model);
        Untouched.refused(run("interpret", "--model-file", model.toString(), "--out", link.toString()), "is --model-file");
        u.check();
    }

    @Test
    void generateRefusesAnotherCommandsFolder() {
        Untouched u = Untouched.of(run, generated);
        Untouched.refused(run("generate", "--users", "5", "--movies", "5", "--ratings", "10", "--out", run.toString()),
                "'collab train'");
        // its own folder it replaces, as before
        assertEquals(0, run("generate", "--users", "20", "--movies", "10", "--ratings", "60", "--out",
                tmp.resolve("gen2").toString()).code());
        assertEquals(0, run("generate", "--users", "20", "--movies", "10", "--ratings", "60", "--out",
                tmp.resolve("gen2").toString()).code());
        u.check();
    }

    @Test
    void interpretTakesVerboseAndBenchAndEvaluateRefuseAnOutTheyWouldIgnore() {
        // interpret's own errors recommend --verbose: it takes it
        CliRun i = run("interpret", "--model-file", model.toString(), "--out", tmp.resolve("charts").toString(), "--verbose");
        assertEquals(0, i.code(), i.err());
        Untouched u = Untouched.of(run);
        Untouched.refused(run("bench", "--ratings", ratings.toString(), "--out", run.toString()), "writes no files");
        Untouched.refused(run("evaluate", "--ratings", ratings.toString(), "--out", run.toString()), "writes no files");
        u.check();
    }
}
