package io.github.fastdl4j.collab.spark;

import io.github.fastdl4j.collab.cli.CollabMain;
import io.github.fastdl4j.collab.spark.cli.CollabSparkMain;
import io.github.fastdl4j.common.testing.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** collab generate -> collab-spark train -> collab recommend, and the errors a user meets first. */
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
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
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

    private static Path writeTiny(Path dir) {
        try {
            Path d = dir.resolve("tiny");
            Files.createDirectories(d);
            Files.writeString(d.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,1\n1,2,3.5,2\n2,1,5.0,3\n");
            return d;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
