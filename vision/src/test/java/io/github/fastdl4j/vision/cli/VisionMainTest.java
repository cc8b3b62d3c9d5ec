package io.github.fastdl4j.vision.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.train.Losses;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.common.train.ModuleModel;
import io.github.fastdl4j.vision.VisionLearner;
import io.github.fastdl4j.vision.data.DigitImage;
import io.github.fastdl4j.vision.data.Mnist;
import io.github.fastdl4j.vision.model.Arch;
import io.github.fastdl4j.vision.model.ArchOptions;
import io.github.fastdl4j.vision.model.VisionModel;
import io.github.fastdl4j.vision.model.fast.FastNet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.Map;
import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train -> model.zip -> predict on a PNG, on the committed sample (no data folder needed). */
class VisionMainTest {

    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        CliRun r = CliRun.run(new VisionMain(), "vision", args);
        return new String[]{String.valueOf(r.code()), r.out(), r.err()};
    }

    @Test
    void trainSaveLoadPredictRoundTrip() throws Exception {
        Path out = tmp.resolve("run");
        String[] r = run("train", "--data", "sample", "--arch", "simple-cnn", "--epochs", "3", "--bs", "64",
                "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("epoch       train_loss  valid_loss  accuracy"), r[1]);
        assertTrue(Files.size(out.resolve("charts/loss.png")) > 1000);
        Mnist m = Mnist.sample();
        int[] digit = m.rawTestImage(0);
        Path png = tmp.resolve("digit.png");
        ImageIO.write(DigitImage.toImage(digit), "png", png.toFile());
        // the PNG round trip is exact for 8-bit grey
        assertArrayEquals(digit, DigitImage.read(png).values());
        VisionModel model = VisionModel.load(out.resolve("model.zip"));
        float[] p = model.probabilities(digit);
        int best = 0;
        for (int i = 1; i < 10; i++) {
            best = p[i] > p[best] ? i : best;
        }
        String[] pred = run("predict", "--model-file", out.resolve("model.zip").toString(), "--image", png.toString());
        assertEquals("0", pred[0], pred[2]);
        assertTrue(pred[1].contains("digit: " + best), pred[1]);
        assertEquals(7, m.testLabels()[0]);

        // a larger, dark-on-light picture is scaled and inverted, with notes
        BufferedImage big = new BufferedImage(56, 56, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.drawImage(DigitImage.toImage(digit), 0, 0, 56, 56, null);
        g.dispose();
        for (int y = 0; y < 56; y++) {
            for (int x = 0; x < 56; x++) {
                big.setRGB(x, y, ~big.getRGB(x, y) & 0xffffff);
            }
        }
        Path bigPng = tmp.resolve("big.png");
        ImageIO.write(big, "png", bigPng.toFile());
        String[] pred2 = run("predict", "--model-file", out.resolve("model.zip").toString(), "--image", bigPng.toString());
        assertTrue(pred2[1].contains("note: scaled from 56x56 to 28x28"), pred2[1]);
        assertTrue(pred2[1].contains("note: inverted"), pred2[1]);
    }

    /**
     * The committed sample with every default: 833 training digits would give 2 steps an epoch at
     * the default batch of 512 (accuracy 0.13); the batch is sized to the data, said, and recorded.
     */
    @Test
    void theSampleWithDefaultsLearnsOnABatchSizedToIt() throws Exception {
        Path out = tmp.resolve("defaults");
        String[] r = run("train", "--data", "sample", "--out", out.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("batch size 32, not 512: 833 training images would give 2 steps an epoch at 512 "
                + "(one-cycle needs dozens; --bs sets it)"), r[1]);
        JsonNode m = new ObjectMapper()
                .readTree(out.resolve("metrics.json").toFile());
        assertEquals(32, m.get("config").get("bs").asInt());
        double accuracy = m.get("final").get("accuracy").asDouble();
        assertTrue(accuracy > 0.8, "valid accuracy " + accuracy);
        assertTrue(m.get("final").get("test_accuracy").asDouble() > 0.8, m.toString());
        // asked for, the batch is what was asked
        String[] asked = run("train", "--data", "sample", "--bs", "512", "--epochs", "1", "--out", tmp.resolve("asked").toString());
        assertEquals("0", asked[0], asked[2]);
        assertTrue(!asked[1].contains("batch size 32"), asked[1]);
        assertEquals(512, new ObjectMapper().readTree(tmp.resolve("asked/metrics.json").toFile())
                .get("config").get("bs").asInt());
    }

    @Test
    void theBatchIsSizedForDozensOfStepsOnlyWhenTheDataIsSmall() {
        assertEquals(512, VisionLearner.batchSizeFor(50_000, 512));
        assertEquals(512, VisionLearner.batchSizeFor(16 * 512, 512));
        assertEquals(256, VisionLearner.batchSizeFor(16 * 512 - 1, 512));
        assertEquals(32, VisionLearner.batchSizeFor(833, 512));
        assertEquals(8, VisionLearner.batchSizeFor(20, 512));
    }

    /** Offline without MNIST, the error says that the committed sample needs no download, in the same one line. */
    @Test
    void theMissingMnistLineNamesTheSample() {
        BadInputException e = VisionMain.Hyper.withSampleHint(
                new BadInputException("mnist not found (looked in /x) and its download failed: "
                        + "ConnectException. Offline? Put [a, b] in a folder 'mnist' under $FASTDL4J_DATA or --data-dir."));
        assertEquals("mnist not found (looked in /x) and its download failed: ConnectException. Offline? Put [a, b] in a folder "
                + "'mnist' under $FASTDL4J_DATA or --data-dir. Or, without a download: --data sample (the committed 1,000 + 200 "
                + "digits).", e.getMessage());
    }

    // slow: explain trains simple-cnn for three epochs to draw its one-cycle curves
    @Tag("slow")
    @Test
    void explainWritesPictures() throws Exception {
        String[] r = run("explain", "--out", tmp.resolve("ex").toString());
        assertEquals("0", r[0], r[2]);
        for (String f : new String[]{"edges.png", "second_layer.png", "maxpool.png", "dropout.png", "one_cycle_lr.png"}) {
            assertTrue(Files.size(tmp.resolve("ex").resolve(f)) > 500, f);
        }
        assertTrue(r[1].contains("dropout p=0.50: dropped 0.5"), r[1]);
    }

    @Test
    void anUnknownArchitectureIsAUsageError() {
        String[] bad = run("train", "--arch", "resnet");
        assertEquals("2", bad[0]);
        assertTrue(bad[2].contains("unknown architecture 'resnet'"), bad[2]);
    }

    /** Each bad value is a usage error (exit 2, one line) found before any data is read. */
    @Test
    void everyOptionIsCheckedBeforeDataLoads() {
        String nowhere = tmp.resolve("no-data").toString();
        String[][] cases = {{"--epochs", "0"}, {"--bs", "0"}, {"--lr", "NaN"}, {"--wd", "-50"}, {"--dropout", "1.5"},
                {"--dropout", "1"}, {"--subset", "-5"}, {"--shift", "-3"}, {"--shift", "40"}, {"--data", "nosuch"},
                {"--activation", "tanh"}, {"--build", "fast"}};
        for (String[] c : cases) {
            String[] r = run("train", c[0], c[1], "--data-dir", nowhere, "--out", tmp.resolve("o").toString());
            assertEquals("2", r[0], String.join(" ", c) + ": " + r[2]);
            assertEquals(1, r[2].strip().lines().count(), r[2]);
            assertTrue(r[2].startsWith("error: Invalid value for option '" + c[0] + "'"), r[2]);
        }
    }

    @Test
    void aModelOfAnotherModuleSaysWhatItIs() throws Exception {
        Path zip = tmp.resolve("collab.zip");
        ModelArchive.write(zip,
                new ModuleModel(FastNet.of(
                        Arch.SIMPLE_CNN, ArchOptions.defaults(1), 1, 28,
                        10),
                        Losses.mse()),
                Map.of("collab", Map.of(), "provenance", Map.of("job", "collab", "model", "dot")));
        Path png = tmp.resolve("d.png");
        ImageIO.write(DigitImage.toImage(Mnist.sample().rawTestImage(0)), "png", png.toFile());
        String[] r = run("predict", "--model-file", zip.toString(), "--image", png.toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("this is a collab model (dot), not a vision model"), r[2]);
    }
}
