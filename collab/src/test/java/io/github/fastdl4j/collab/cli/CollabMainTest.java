package io.github.fastdl4j.collab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.collab.model.CollabModel;
import io.github.fastdl4j.collab.testing.SyntheticRatings;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.testing.RealData;
import io.github.fastdl4j.common.train.ModelArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    @Tag("real-data")
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
        JsonNode config = metrics.get("config");
        assertEquals(64, config.get("bs").asInt(), config.toString());
        for (String unused : new String[]{"user_col", "item_col", "rating_col", "item_id_col", "item_title_col", "no_header",
                "encoding"}) {
            assertTrue(config.get(unused) == null, unused + " was not used by a run on a MovieLens folder: " + config);
        }
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
        // a new user from three ratings, folded in: ten movies, none of those rated
        String[] fresh = run("recommend", "--rated", "Star Wars (1977)=5,Fargo (1996)=4,Titanic (1997)=1", "-k", "10",
                "--model-file", model.toString());
        assertEquals("0", fresh[0], fresh[2]);
        assertTrue(fresh[1].contains("a new user from 3 ratings"), fresh[1]);
        String list = fresh[1].substring(fresh[1].indexOf("Recommended for the new user"));
        assertEquals(10, list.lines().filter(l -> l.matches("\\s+-?\\d\\.\\d{4}  .*")).count(), fresh[1]);
        assertTrue(!list.contains("Star Wars (1977)") && !list.contains("Fargo (1996)"), list);
        String[] badPair = run("recommend", "--rated", "Fargo (1996)", "--model-file", model.toString());
        assertEquals("2", badPair[0]);
        assertEquals(1, badPair[2].strip().lines().count(), badPair[2]);
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
        List<String> lines = missing[2].strip().lines().toList();
        assertTrue(lines.get(0).startsWith("backend: "), missing[2]);
        assertEquals(2, lines.size(), missing[2]);
        assertTrue(lines.get(1).startsWith("error: ") && lines.get(1).contains("model file not found"), missing[2]);
    }

    /** Each bad value is a usage error (exit 2, one line) found before any data is read: the data folder does not exist. */
    @Test
    void everyOptionIsCheckedBeforeDataLoads() {
        String nowhere = tmp.resolve("no-data").toString();
        String[][] cases = {
                {"--epochs", "0"}, {"--epochs", "-1"}, {"--bs", "0"}, {"--factors", "0"}, {"--layers", "100,0"},
                {"--lr", "-1"}, {"--lr", "NaN"}, {"--lr", "0"}, {"--wd", "NaN"}, {"--wd", "-50"}, {"--wd", "Infinity"},
                {"--adam", "sparse"}, {"--model", "svd"}, {"--epochs", "five"}};
        for (String[] c : cases) {
            String[] r = run("train", c[0], c[1], "--data-dir", nowhere, "--out", tmp.resolve("o").toString());
            assertEquals("2", r[0], String.join(" ", c) + ": " + r[2]);
            assertEquals(1, r[2].strip().lines().count(), r[2]);
            assertTrue(r[2].startsWith("error: Invalid value for option '" + c[0] + "'"), r[2]);
        }
        for (String cmd : new String[]{"similar", "recommend"}) {
            String[] r = cmd.equals("similar") ? run(cmd, "x", "-k", "-5", "--model-file", "m.zip")
                    : run(cmd, "--user", "1", "-k", "0", "--model-file", "m.zip");
            assertEquals("2", r[0], r[2]);
            assertTrue(r[2].startsWith("error: Invalid value for option '-k': must be at least 1"), r[2]);
        }
        String[] g = run("generate", "--users", "0", "--movies", "5", "--ratings", "10", "--out", tmp.resolve("g").toString());
        assertEquals("2", g[0], g[2]);
    }

    @Test
    void aBadOutputFolderIsRefusedBeforeTraining() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        String[] r = run("train", "--data-dir", tmp.resolve("no-data").toString(), "--out", file.resolve("x").toString());
        assertEquals("2", r[0], r[2]);
        assertTrue(r[2].contains(file + " is a file"), r[2]);
        assertTrue(!r[1].contains("epoch"), "no training happened: " + r[1]);
    }

    @Test
    void similarTellsMoviesWithTheSameTitleApartById() throws Exception {
        Path d = tmp.resolve("dup");
        Files.createDirectories(d);
        StringBuilder data = new StringBuilder("userId,movieId,rating,timestamp\n");
        for (int u = 1; u <= 30; u++) {
            for (int m = 1; m <= 6; m++) {
                data.append(u).append(',').append(m).append(',').append(1 + (u * m) % 5).append(",1\n");
            }
        }
        Files.writeString(d.resolve("ratings.csv"), data.toString());
        Files.writeString(d.resolve("movies.csv"), "movieId,title,genres\n1,Chasing Amy (1997),Drama\n"
                + "2,Chasing Amy (1997),Drama\n3,Amy (1997),Drama\n4,Fargo (1996),Crime\n5,Heat (1995),Crime\n6,Heat Wave (1990),Drama\n");
        Path out = tmp.resolve("dup-run");
        String[] t = run("train", "--ratings", d.toString(), "--epochs", "1", "--factors", "4", "--out", out.toString());
        assertEquals("0", t[0], t[2]);
        String model = out.resolve("model.zip").toString();
        String[] amb = run("similar", "Chasing Amy (1997)", "--model-file", model);
        assertEquals("1", amb[0]);
        assertTrue(amb[2].contains("2 movies are titled 'Chasing Amy (1997)' (ids 1, 2): pick one with --movie-id"), amb[2]);
        String[] byId = run("similar", "--movie-id", "2", "-k", "2", "--model-file", model);
        assertEquals("0", byId[0], byId[2]);
        assertTrue(byId[1].contains("Nearest to Chasing Amy (1997) [2]"), byId[1]);
        String[] exact = run("similar", "heat (1995)", "-k", "2", "--model-file", model);
        assertEquals("0", exact[0], exact[2]);
        assertTrue(exact[1].contains("Nearest to Heat (1995) [5]"), "an exact title wins over 'Heat Wave': " + exact[1]);
        String[] neither = run("similar", "--model-file", model);
        assertEquals("2", neither[0], neither[2]);
    }

    // slow: three CLI trainings; the quick loop keeps LearnerTest's and BprTest's exact resumes
    @Tag("slow")
    @Test
    void aKilledRunResumesFromItsCheckpointAndEndsAsAnUninterruptedOne() throws Exception {
        Path data = SyntheticRatings.write(tmp.resolve("big"), 3000, 400, 60, 3);
        String[] opts = {"--ratings", data.toString(), "--epochs", "6", "--factors", "8", "--bs", "256", "--checkpoint"};
        // uninterrupted
        Path whole = tmp.resolve("whole");
        String[] a = run(concat(new String[]{"train", "--out", whole.toString()}, opts));
        assertEquals("0", a[0], a[2]);
        // the same run in another process, killed (-9) once its first checkpoint is written
        Path out = tmp.resolve("killed");
        Path partial = tmp.resolve(".killed.partial").resolve("checkpoint.zip");
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                CollabMain.class.getName(), "train", "--out", out.toString()));
        cmd.addAll(List.of(opts));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!Files.exists(partial) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        p.destroyForcibly();
        p.waitFor();
        Assumptions.assumeTrue(Files.exists(partial),
                "the run finished before it could be killed: " + Files.readString(tmp.resolve("killed.log")));
        assertTrue(Files.notExists(out), "a killed run leaves no folder");
        // resumed in this process
        String[] r = run(concat(new String[]{"train", "--out", out.toString(), "--resume"}, opts));
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("resuming " + out.toAbsolutePath()), r[1]);
        JsonNode m1 = ModelArchive.JSON.readTree(whole.resolve("metrics.json").toFile());
        JsonNode m2 = ModelArchive.JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(6, m2.get("epochs").size());
        for (int e = 0; e < 6; e++) {
            assertEquals(m1.get("epochs").get(e).get("valid_loss").asDouble(), m2.get("epochs").get(e).get("valid_loss").asDouble(),
                    0, "epoch " + e);
        }
        assertTrue(Files.notExists(out.resolve("checkpoint.zip")), "the finished run drops its checkpoint");
        // nothing to resume now; a changed option is refused
        String[] again = run(concat(new String[]{"train", "--out", out.toString(), "--resume"}, opts));
        assertEquals("2", again[0], again[2]);
        assertTrue(again[2].contains("nothing to resume"), again[2]);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void predictOneRatingAndSimilarAmongWellRatedMovies() throws Exception {
        Path data = SyntheticRatings.write(tmp.resolve("syn"), 100, 40, 20, 2);
        Path out = tmp.resolve("run");
        String[] t = run("train", "--ratings", data.toString(), "--epochs", "2", "--factors", "4", "--out", out.toString(),
                "--save-best", "--early-stop", "3", "--summary");
        assertEquals("0", t[0], t[2]);
        assertTrue(t[1].contains("Total params:") && Files.exists(out.resolve("summary.txt")), t[1]);
        assertTrue(t[1].contains("show_results (validation ratings):"), t[1]);
        String model = out.resolve("model.zip").toString();
        String[] p = run("predict", "--user", "5", "--movie-id", "7", "--model-file", model);
        assertEquals("0", p[0], p[2]);
        assertTrue(p[1].matches("(?s)user 5, .* \\[7\\]: predicted rating \\d\\.\\d\\d.*"), p[1]);
        String[] s = run("similar", "--movie-id", "7", "-k", "50", "--min-ratings", "15", "--model-file", model);
        assertEquals("0", s[0], s[2]);
        assertTrue(s[1].contains("movies with at least 15 ratings"), s[1]);
        CollabModel m = CollabModel.load(out.resolve("model.zip"));
        long eligible = Arrays.stream(m.movieCounts()).skip(1).filter(c -> c >= 15).count() - 1;
        assertEquals(Math.min(50, eligible), s[1].lines().filter(l -> l.matches("\\s+-?\\d\\.\\d{4}  .*")).count(), s[1]);
        String[] unknown = run("predict", "--user", "99999", "--movie-id", "7", "--model-file", model);
        assertEquals("1", unknown[0]);
        assertTrue(unknown[2].contains("unknown user '99999'"), unknown[2]);
    }

    @Test
    void whatAHostileUserTriedIsRefusedInOneLine() throws Exception {
        Path gen = tmp.resolve("gen");
        assertEquals("0", run("generate", "--users", "60", "--movies", "40", "--ratings", "900", "--out", gen.toString())[0]);
        // training into the folder it reads would delete its own data
        String[] self = run("train", "--ratings", gen.toString(), "--out", gen.toString(), "--epochs", "1");
        assertEquals("2", self[0], self[2]);
        assertTrue(self[2].contains("which this run reads"), self[2]);
        assertTrue(Files.exists(gen.resolve("ratings.csv")));
        // --adam lazy means nothing for a model without embedding tables updated row by row
        String[] lazy = run("train", "--model", "nn", "--adam", "lazy", "--ratings", gen.toString(), "--out", tmp.resolve("o").toString());
        assertEquals("2", lazy[0], lazy[2]);
        // a model too large for this machine is one line, not a JVM crash
        String[] huge = run("train", "--factors", "100000000", "--ratings", gen.toString(), "--out", tmp.resolve("h").toString());
        assertEquals("1", huge[0], huge[2]);
        assertTrue(huge[2].contains("parameters") && huge[2].contains("more than the"), huge[2]);
        // two ratings cannot be split into training and validation
        Path tiny = Files.createDirectories(tmp.resolve("tiny"));
        Files.writeString(tiny.resolve("u.data"), "1\t1\t4\t1\n2\t1\t3\t2\n");
        String[] t = run("train", "--ratings", tiny.toString(), "--out", tmp.resolve("t").toString());
        assertEquals("1", t[0], t[2]);
        assertTrue(t[2].contains(tiny.toString()) && t[2].contains("too few"), t[2]);
        // the largest batch size does not overflow
        String[] bs = run("train", "--ratings", gen.toString(), "--bs", "2147483647", "--epochs", "1", "--out",
                tmp.resolve("bs").toString());
        assertEquals("0", bs[0], bs[2]);
        // a title with a newline stays one line; Java's float syntax is not a rating
        String[] nl = run("similar", "zz\nyy", "--model-file", tmp.resolve("bs/model.zip").toString());
        assertEquals(1, nl[2].strip().lines().filter(l -> l.startsWith("error")).count(), nl[2]);
        Files.writeString(tiny.resolve("u.data"), "1\t1\t4f\t1\n2\t1\t3\t2\n");
        String[] f = run("train", "--ratings", tiny.toString(), "--out", tmp.resolve("f").toString());
        assertTrue(f[2].contains("u.data:1: field 'rating': expected a number, got '4f'"), f[2]);
    }
}
