package io.github.fastdl4j.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.serve.ServeConfig;
import io.github.fastdl4j.serve.testing.Http;
import io.github.fastdl4j.serve.testing.TrainedRuns;
import io.github.fastdl4j.vision.cli.VisionMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.Arrays;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A vision model's confusion matrix and top losses from the server equal what {@code vision
 * interpret} writes for the same model and validation images: an MNIST model trained on the
 * sample, and an image-folder model; with the folder gone, a 422 saying so.
 */
class VisionInterpretationTest {

    @TempDir
    Path tmp;

    /** A tiny two-class folder: bright left half (a) or right half (b), with noise. */
    private static Path folder(Path root) throws Exception {
        Random rng = new Random(3);
        for (String split : List.of("train", "valid")) {
            for (String c : List.of("a", "b")) {
                Path dir = Files.createDirectories(root.resolve(split).resolve(c));
                for (int i = 0; i < (split.equals("train") ? 24 : 10); i++) {
                    BufferedImage img = new BufferedImage(12, 12, BufferedImage.TYPE_BYTE_GRAY);
                    for (int y = 0; y < 12; y++) {
                        for (int x = 0; x < 12; x++) {
                            boolean lit = c.equals("a") ? x < 6 : x >= 6;
                            int v = Math.max(0, Math.min(255, (lit ? 170 : 60) + (int) (rng.nextGaussian() * 70)));
                            img.getRaster().setSample(x, y, 0, v);
                        }
                    }
                    ImageIO.write(img, "png", dir.resolve(String.format("img%03d.png", i)).toFile());
                }
            }
        }
        return root;
    }

    private static long[][] csvMatrix(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        long[][] m = new long[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            m[i - 1] = new long[f.length - 1];
            for (int j = 1; j < f.length; j++) {
                m[i - 1][j - 1] = Long.parseLong(f[j]);
            }
        }
        return m;
    }

    private static long[][] apiMatrix(JsonNode c) {
        List<long[]> rows = new ArrayList<>();
        c.get("matrix").forEach(r -> {
            long[] row = new long[r.size()];
            for (int j = 0; j < row.length; j++) {
                row[j] = r.get(j).asLong();
            }
            rows.add(row);
        });
        return rows.toArray(new long[0][]);
    }

    private static void sameAsInterpret(Http http, String id, Path interp) throws Exception {
        Http.Res r = http.get("/api/models/" + id + "/confusion");
        assertEquals(200, r.status(), r.text());
        JsonNode c = r.json();
        JsonNode cli = Http.JSON.readTree(interp.resolve("interpret.json").toFile());
        assertTrue(Arrays.deepEquals(csvMatrix(interp.resolve("confusion_matrix.csv")), apiMatrix(c)), r.text());
        assertEquals(cli.get("images").asInt(), c.get("images").asInt());
        assertEquals(cli.get("accuracy").asDouble(), c.get("accuracy").asDouble(), 1e-12);
        assertEquals(cli.get("loss").asDouble(), c.get("loss").asDouble(), 1e-9);
        assertEquals(cli.get("validation").asText(), c.get("validation").asText());
        assertEquals(cli.get("most_confused"), c.get("most_confused"));
        JsonNode top = http.get("/api/models/" + id + "/top-losses?k=9").json().get("items");
        assertEquals(9, top.size());
        for (int i = 0; i < 9; i++) {
            JsonNode a = top.get(i);
            JsonNode b = cli.get("top_losses").get(i);
            assertEquals(b.get("image").asText(), a.get("image").asText());
            assertEquals(b.get("actual").asText(), a.get("actual").asText());
            assertEquals(b.get("predicted").asText(), a.get("predicted").asText());
            assertEquals(b.get("loss").asDouble(), a.get("loss").asDouble(), 1e-9);
            Http.Res png = http.get(a.get("png").asText());
            assertEquals(200, png.status(), png.text());
            assertEquals("image/png", png.type());
            assertTrue(ImageIO.read(new ByteArrayInputStream(png.body())).getWidth() > 0);
        }
    }

    @Test
    void confusionAndTopLossesEqualVisionInterpret() throws Exception {
        Path runs = tmp.resolve("runs");
        TrainedRuns.copyTree(TrainedRuns.runs().resolve(TrainedRuns.VISION), runs.resolve("mnist"));
        Path images = folder(tmp.resolve("shapes"));
        CliRun t = CliRun.run(new VisionMain(), "vision", "train", "--images", images.toString(), "--size", "12", "--channels", "1",
                "--epochs", "1", "--bs", "8", "--out", runs.resolve("folder").toString());
        assertEquals(0, t.code(), t.err());
        TrainedRuns.copyTree(runs.resolve("folder"), runs.resolve("folder2"));
        CliRun i1 = CliRun.run(new VisionMain(), "vision", "interpret", "--model-file", runs.resolve("mnist/model.zip").toString(),
                "--data", "sample", "--out", tmp.resolve("i1").toString());
        assertEquals(0, i1.code(), i1.err());
        CliRun i2 = CliRun.run(new VisionMain(), "vision", "interpret", "--model-file", runs.resolve("folder/model.zip").toString(),
                "--images", images.toString(), "--out", tmp.resolve("i2").toString());
        assertEquals(0, i2.code(), i2.err());
        try (ServeApp app = ServeApp.start(new ServeConfig(List.of(runs), List.of(), "127.0.0.1", 0, null, tmp.resolve("fb"), 8, 1,
                60_000, ServeConfig.Limits.defaults()))) {
            Http http = new Http(app.port());
            sameAsInterpret(http, "mnist", tmp.resolve("i1"));
            sameAsInterpret(http, "folder", tmp.resolve("i2"));
            // asked for again: the same answer, kept
            assertEquals(http.get("/api/models/mnist/confusion").text(), http.get("/api/models/mnist/confusion").text());
            // refusals: bad k, a rank past the kept ones, not a vision model, unknown model
            assertEquals(400, http.get("/api/models/mnist/top-losses?k=0").status());
            assertEquals(400, http.get("/api/models/mnist/top-losses?k=1000").status());
            assertEquals(404, http.get("/api/models/mnist/top-losses/64.png").status());
            assertEquals(404, http.get("/api/models/mnist/top-losses/..%2F1.png").status());
            assertEquals(404, http.get("/api/models/nope/confusion").status());
            // the folder the run recorded is gone: 422 saying why, for a model not interpreted before
            TrainedRuns.deleteTree(images);
            Http.Res gone = http.get("/api/models/folder2/confusion");
            assertEquals(422, gone.status(), gone.text());
            assertTrue(gone.json().get("error").asText().contains("not there"), gone.text());
            assertEquals(200, http.get("/health").status());
        }
    }
}
