package io.github.fastdl4j.collab.spark;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.collab.cli.CollabMain;
import io.github.fastdl4j.collab.spark.cli.CollabSparkMain;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.train.ModelArchive;
import org.apache.spark.SparkConf;
import org.apache.spark.rpc.RpcEnv;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** collab generate -> collab-spark train -> collab recommend, collab-spark evaluate, and the errors a user meets first. */
class CollabSparkMainTest {

    @Test
    void trainOnGeneratedRatingsThenRecommendWithTheCollabModule(@TempDir Path dir) throws IOException {
        Path gen = dir.resolve("gen");
        CliRun g = CliRun.run(new CollabMain(), "collab", "generate", "--users", "150", "--movies", "120",
                "--ratings", "6000", "--out", gen.toString());
        assertEquals(0, g.code(), g.err());
        Path out = dir.resolve("als");
        CliRun t = CliRun.run(new CollabSparkMain(), "collab-spark", "train", "--master", "local[2]", "--ratings",
                gen.toString(), "--rank", "4", "--iters", "5", "--out", out.toString());
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.out().contains("valid mse"), t.out());
        String metrics = Files.readString(out.resolve("metrics.json"));
        assertTrue(metrics.contains("\"valid_loss\"") && metrics.contains("dot-linear"), metrics);
        CliRun rec = CliRun.run(new CollabMain(), "collab", "recommend", "--user", "3", "-k", "3",
                "--model-file", out.resolve("model.zip").toString());
        assertEquals(0, rec.code(), rec.err());
        assertEquals(3, rec.out().lines().filter(l -> l.matches("\\s+[0-9.]+\\s+.*")).count(), rec.out());
    }

    @Test
    void trainImplicitThenRecommendWithTheCollabModule(@TempDir Path dir) throws IOException {
        Path data = TasteChoices.write(dir.resolve("tastes"), 150, 100, 25, 3);
        Path out = dir.resolve("als");
        CliRun t = CliRun.run(new CollabSparkMain(), "collab-spark", "train", "--master", "local[2]", "--ratings",
                data.toString(), "--implicit", "--min-rating", "4", "--confidence", "binary", "--rank", "6", "--iters", "5",
                "--out", out.toString());
        assertEquals(0, t.code(), t.out() + t.err());
        assertTrue(t.out().contains("it does not rate: no MSE") && t.out().contains("training ratings >= 4 an interaction"), t.out());
        JsonNode metrics = ModelArchive.JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals("bpr", metrics.path("final").path("saved_as").asText());
        assertEquals("binary", metrics.path("config").path("confidence").asText());
        assertTrue(metrics.path("final").path("ndcg@10").asDouble() > 0, metrics.toString());
        CliRun rec = CliRun.run(new CollabMain(), "collab", "recommend", "--user", "3", "-k", "3",
                "--model-file", out.resolve("model.zip").toString());
        assertEquals(0, rec.code(), rec.err());
        assertEquals(3, rec.out().lines().filter(l -> l.matches("\\s+-?[0-9.]+\\s+.*")).count(), rec.out());
    }

    @Test
    void badMasterAndMissingDataAreOneClearLine(@TempDir Path dir) {
        CliRun noData = CliRun.run(new CollabSparkMain(), "collab-spark", "train", "--ratings", dir.resolve("nope").toString());
        assertEquals(1, noData.code());
        assertTrue(noData.err().contains("nope"), noData.err());
        CliRun badMaster = CliRun.run(new CollabSparkMain(), "collab-spark", "train", "--master", "nonsense://x",
                "--ratings", writeTiny(dir).toString());
        assertEquals(2, badMaster.code(), "a malformed master is a usage error");
        assertTrue(badMaster.err().contains("unsupported Spark master 'nonsense://x'"), badMaster.err());
        assertEquals(1, badMaster.err().strip().lines().count(), badMaster.err());
    }

    @Test
    void unreachableMasterFailsFastInOneLine(@TempDir Path dir) throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // free once closed: nothing listens there
        }
        long t0 = System.nanoTime();
        CliRun r = CliRun.run(new CollabSparkMain(), "collab-spark", "train", "--master", "spark://127.0.0.1:" + closedPort,
                "--ratings", writeTiny(dir).toString(), "--out", dir.resolve("out").toString());
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(1, r.code(), r.err());
        assertTrue(seconds < 15, "took " + seconds + " s");
        assertTrue(r.err().contains("cannot reach Spark master 'spark://127.0.0.1:" + closedPort + "'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(Files.notExists(dir.resolve("out")), "nothing written");
    }

    /** A port that accepts connections and never answers: Spark would retry its registration for 71 s. */
    @Test
    void aPortThatAcceptsButIsNoSparkMasterFailsWithinSecondsInOneLine(@TempDir Path dir) throws Exception {
        List<Socket> held = Collections.synchronizedList(new ArrayList<>());
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept()); // keep it open, say nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long t0 = System.nanoTime();
            CliRun r = CliRun.run(new CollabSparkMain(), "collab-spark", "train", "--master", "spark://127.0.0.1:"
                    + silent.getLocalPort(), "--ratings", writeTiny(dir).toString(), "--out", dir.resolve("out").toString());
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(1, r.code(), r.err());
            assertTrue(seconds < 12, "took " + seconds + " s");
            assertTrue(r.err().contains("cannot reach Spark master 'spark://127.0.0.1:" + silent.getLocalPort() + "'")
                    && r.err().contains("not a Spark master"), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(held.isEmpty(), "the probe did connect");
            assertTrue(Files.notExists(dir.resolve("out")), "nothing written");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** The probe asks as the driver would: a real standalone master (started here, in this JVM) passes it. */
    @Test
    void aRealStandaloneMasterAnswersTheProbe() {
        SparkConf conf = new SparkConf(false).set("spark.master.rest.enabled", "false")
                .set("spark.ui.enabled", "false");
        scala.Tuple3<RpcEnv, Object, scala.Option<Object>> master =
                org.apache.spark.deploy.master.Master$.MODULE$.startRpcEnvAndEndpoint("127.0.0.1", 0, 0, conf);
        try {
            int port = master._1().address().port();
            long t0 = System.nanoTime();
            assertEquals(null, SparkSessions.answersAsMaster("127.0.0.1", port));
            assertTrue((System.nanoTime() - t0) / 1e9 < 5, "answered at once");
        } finally {
            master._1().shutdown();
        }
    }

    @Test
    void evaluateImplicitPrintsAFoldTableMeanStdAndOneJsonLine(@TempDir Path dir) throws IOException {
        Path data = TasteChoices.write(dir.resolve("tastes"), 150, 100, 25, 3);
        CliRun e = CliRun.run(new CollabSparkMain(), "collab-spark", "evaluate", "--master", "local[2]", "--ratings",
                data.toString(), "--protocol", "kfold", "--folds", "2", "--implicit", "--alpha", "2", "--rank", "6",
                "--iters", "5", "--reg", "0.05");
        assertEquals(0, e.code(), e.out() + e.err());
        List<String> lines = e.out().lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("fold ") && l.contains("ndcg@10") && l.contains("coverage")), e.out());
        for (String label : List.of("fold 1 ", "fold 2 ", "mean ", "std ", "popularity baseline (mean)")) {
            String row = lines.stream().filter(l -> l.startsWith(label)).findFirst().orElseThrow(() -> new AssertionError(label + "\n" + e.out()));
            assertTrue(label.startsWith("popularity") || row.contains(" n/a "), "an implicit model has no rmse: " + row);
        }
        assertTrue(e.out().contains("no RMSE or MAE"), e.out());
        List<String> json = lines.stream().filter(l -> l.startsWith("{")).toList();
        assertEquals(1, json.size(), e.out());
        JsonNode j = ModelArchive.JSON.readTree(json.get(0));
        assertEquals("als-implicit", j.path("model").asText());
        assertEquals("kfold", j.path("protocol").asText());
        assertFalse(j.path("release_files").asBoolean(), "a seeded k-fold: the folder has no u1..u5 files");
        assertEquals(2, j.path("folds").asInt());
        assertEquals(2.0, j.path("alpha").asDouble());
        assertTrue(j.path("rmse_mean").isNull(), "no rating error: null, not a number");
        double ndcg = j.path("ndcg_mean").asDouble();
        assertTrue(ndcg > j.path("popularity_ndcg_mean").asDouble() && ndcg <= 1, json.get(0));
        assertTrue(j.path("train_seconds_per_fold").asDouble() > 0, json.get(0));
    }

    // slow: k-fold explicit ALS; the quick loop keeps the implicit evaluate's table and SparkAlsTest's explicit ALS
    @Tag("slow")
    @Test
    void evaluateExplicitAlsAlsoReportsRatingErrors(@TempDir Path dir) throws IOException {
        Path data = TasteChoices.write(dir.resolve("tastes"), 150, 100, 25, 3);
        CliRun e = CliRun.run(new CollabSparkMain(), "collab-spark", "evaluate", "--master", "local[2]", "--ratings",
                data.toString(), "--protocol", "random", "--rank", "6", "--iters", "5", "--on", "valid");
        assertEquals(0, e.code(), e.out() + e.err());
        assertTrue(e.out().contains("random 80/20 (validation part"), e.out());
        JsonNode j = ModelArchive.JSON.readTree(e.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
        assertEquals("als", j.path("model").asText());
        assertEquals("valid", j.path("on").asText());
        // ratings follow the planted tastes: factors beat the mean and the biases
        assertTrue(j.path("rmse_mean").isNumber() && j.path("rmse_mean").asDouble() < j.path("bias_baseline_rmse_mean").asDouble(),
                j.toString());
        assertTrue(j.path("mae_mean").asDouble() > 0 && j.path("ndcg_mean").asDouble() > 0, j.toString());
    }

    @Test
    void badEvaluateAndImplicitOptionsAreOneLineBeforeAnyDataIsRead(@TempDir Path dir) {
        String missing = dir.resolve("nope").toString();
        Map<List<String>, String> cases = new LinkedHashMap<>();
        cases.put(List.of("evaluate", "--alpha", "2"), "--alpha needs --implicit");
        cases.put(List.of("evaluate", "--confidence", "binary"), "--confidence needs --implicit");
        cases.put(List.of("train", "--min-rating", "4"), "--min-rating needs --implicit");
        cases.put(List.of("evaluate", "--implicit", "--confidence", "loud"), "expected rating or binary, got 'loud'");
        cases.put(List.of("evaluate", "--implicit", "--alpha", "-1"), "must be 0 or more");
        cases.put(List.of("evaluate", "--on", "tomorrow"), "expected test or valid, got 'tomorrow'");
        cases.put(List.of("evaluate", "--protocol", "u9"), "unknown protocol 'u9'");
        cases.put(List.of("evaluate", "--folds", "1"), "--folds needs at least 2");
        cases.put(List.of("evaluate", "-k", "0"), "must be at least 1");
        cases.put(List.of("evaluate", "--relevant", "NaN"), "--relevant");
        // the ratings options: one source, the --csv ones only with --csv, a column per role
        cases.put(List.of("train", "--csv", "x.csv"), "--csv and --ratings both name the ratings");
        cases.put(List.of("evaluate", "--user-col", "u"), "--user-col describes the table of --csv");
        cases.put(List.of("bench", "--no-header"), "--no-header describes the table of --csv");
        cases.put(List.of("train", "--item-title-col", "t"), "--item-title-col describes the table of --items");
        cases.forEach((args, expected) -> {
            List<String> argv = new ArrayList<>(List.of(args.get(0), "--ratings", missing));
            argv.addAll(args.subList(1, args.size()));
            CliRun r = CliRun.run(new CollabSparkMain(), "collab-spark", argv.toArray(String[]::new));
            assertEquals(2, r.code(), args + ": " + r.out() + r.err());
            assertTrue(r.err().contains(expected), args + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), args + ": " + r.err());
            assertFalse(r.err().contains("nope"), args + ": the data was not read: " + r.err());
        });
    }

    private static Path writeTiny(Path dir) {
        try {
            Path d = dir.resolve("tiny");
            Files.createDirectories(d);
            Files.writeString(d.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,1\n1,2,3.5,2\n2,1,5.0,3\n");
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
