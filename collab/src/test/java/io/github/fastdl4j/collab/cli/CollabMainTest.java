package io.github.fastdl4j.collab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.testing.RealData;
import io.github.fastdl4j.common.train.ModelArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands end to end on ml-100k (FASTDL4J_DATA). */
class CollabMainTest {

    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        CliRun r = CliRun.run(new CollabMain(), "collab", args);
        return new String[]{String.valueOf(r.code()), r.out(), r.err()};
    }

    @Test
    void trainThenSimilarAndRecommendFromTheSavedModel() throws Exception {
        Path data = RealData.require("ml-100k").getParent();
        Path out = tmp.resolve("run");
        String[] r = run("train", "--model", "dot", "--epochs", "1", "--data-dir", data.toString(), "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("backend: "), r[1]);
        assertTrue(r[1].contains("epoch       train_loss  valid_loss  mse"), r[1]);
        JsonNode metrics = ModelArchive.JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals("collab", metrics.get("job").asText());
        assertTrue(metrics.get("final").get("valid_loss").asDouble() < 0.95, metrics.toString());
        for (String chart : new String[]{"loss.png", "lr.png", "movie_bias.png", "movie_pca.png"}) {
            assertTrue(Files.size(out.resolve("charts").resolve(chart)) > 1000, chart);
        }
        Path model = out.resolve("model.zip");
        String[] sim = run("similar", "star wars (1977)", "-k", "5", "--model-file", model.toString());
        assertEquals("0", sim[0], sim[2]);
        assertTrue(sim[1].contains("Nearest to Star Wars (1977)"), sim[1]);
        assertEquals(5, sim[1].lines().filter(l -> l.matches("\\s+-?\\d\\.\\d{4}  .*")).count(), sim[1]);
        String[] rec1 = run("recommend", "--user", "42", "-k", "10", "--model-file", model.toString());
        String[] rec2 = run("recommend", "--user", "42", "-k", "10", "--model-file", model.toString());
        assertEquals("0", rec1[0], rec1[2]);
        assertEquals(rec1[1], rec2[1]);
        String[] interp = run("interpret", "--model-file", model.toString(), "-k", "3", "--out", tmp.resolve("charts").toString());
        assertEquals("0", interp[0], interp[2]);
        assertTrue(interp[1].contains("explained variance"), interp[1]);
    }

    @Test
    void usageAndDataErrorsAreOneLine() {
        String[] bad = run("train", "--model", "svd");
        assertEquals("2", bad[0]);
        assertTrue(bad[2].startsWith("error: Invalid value for option '--model': unknown model 'svd'"), bad[2]);
        String[] missing = run("similar", "x", "--model-file", tmp.resolve("nope.zip").toString());
        assertEquals("1", missing[0]);
        // stderr: the backend line, then the error as one line (no stack trace)
        java.util.List<String> lines = missing[2].strip().lines().toList();
        assertTrue(lines.get(0).startsWith("backend: "), missing[2]);
        assertEquals(2, lines.size(), missing[2]);
        assertTrue(lines.get(1).startsWith("error: ") && lines.get(1).contains("model file not found"), missing[2]);
    }
}
