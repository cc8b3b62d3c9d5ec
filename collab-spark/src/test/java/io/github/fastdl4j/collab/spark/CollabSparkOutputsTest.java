package io.github.fastdl4j.collab.spark;

import io.github.fastdl4j.collab.cli.CollabMain;
import io.github.fastdl4j.collab.spark.cli.CollabSparkMain;
import io.github.fastdl4j.common.io.RunFolder;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.testing.Untouched;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** chart and train refuse an {@code --out} that is one of their inputs or another command's folder, before Spark starts. */
class CollabSparkOutputsTest {

    @TempDir
    Path tmp;

    private static CliRun run(String... args) {
        return CliRun.run(new CollabSparkMain(), "collab-spark", args);
    }

    @Test
    void chartAndTrainNeverWriteOverWhatTheyRead() throws Exception {
        Path bench = Files.writeString(tmp.resolve("bench.jsonl"), "{\"engine\":\"als\",\"ratings\":1000,\"seconds_per_pass\":1.0,"
                + "\"valid_mse\":0.9}\n");
        Path scaling = Files.writeString(tmp.resolve("scaling_mse.png"), "{\"not\":\"a png\"}\n");
        Path run = tmp.resolve("run");
        try (RunFolder r = RunFolder.open(run, "collab-spark train", Set.of("model.zip"))) {
            Files.writeString(r.resolve("model.zip"), "model");
            r.commit();
        }
        Path data = tmp.resolve("gen");
        assertEquals(0, CliRun.run(new CollabMain(), "collab", "generate", "--users", "10", "--movies", "8", "--ratings", "30",
                "--out", data.toString()).code());
        Untouched u = Untouched.of(bench, scaling, run, data);
        Untouched.refused(run("chart", bench.toString(), "--out", bench.toString()), "is BENCH");
        Untouched.refused(run("chart", scaling.toString(), "--out", tmp.toString()), "would replace BENCH");
        Untouched.refused(run("chart", bench.toString(), "--out", run.toString()), "'collab-spark train'");
        Untouched.refused(run("train", "--ratings", data.toString(), "--out", data.toString()), "is --ratings");
        Untouched.refused(run("train", "--ratings", data.toString(), "--out", run.resolve("model.zip").toString()),
                "is a file");
        u.check();
    }
}
