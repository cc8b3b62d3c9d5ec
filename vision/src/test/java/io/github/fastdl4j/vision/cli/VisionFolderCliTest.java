package io.github.fastdl4j.vision.cli;

import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.train.ModelArchive;
import io.github.fastdl4j.vision.data.DigitImage;
import io.github.fastdl4j.vision.data.Mnist;
import io.github.fastdl4j.vision.model.VisionModel;
import io.github.fastdl4j.vision.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** vision train/predict/interpret on image folders, and export-images, through the command line. */
class VisionFolderCliTest {

    @TempDir
    Path tmp;

    private static CliRun run(String... args) {
        return CliRun.run(new VisionMain(), "vision", args);
    }

    /** export-images writes the sample as train/valid digit folders; training on them with --images learns the digits. */
    @Test
    void exportedSampleIsAFolderThatTrainsLikeMnist() throws Exception {
        Path dir = tmp.resolve("digits");
        CliRun ex = run("export-images", "--data", "sample", "--out", dir.toString());
        assertEquals(0, ex.code(), ex.err());
        Mnist m = Mnist.sample();
        for (String set : List.of("train", "valid")) {
            try (Stream<Path> s = Files.list(dir.resolve(set))) {
                assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
                        s.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
        try (Stream<Path> s = Files.walk(dir.resolve("train"))) {
            assertEquals(1000, s.filter(p -> p.toString().endsWith(".png")).count());
        }
        try (Stream<Path> s = Files.walk(dir.resolve("valid"))) {
            assertEquals(200, s.filter(p -> p.toString().endsWith(".png")).count());
        }
        // image 0 of the training set is a 5, image 0 of the test set a 7, with their exact grey levels
        assertEquals(5, m.trainLabels()[0]);
        BufferedImage five = ImageIO.read(dir.resolve("train/5/0.png").toFile());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, five.getType());
        int[] levels = five.getRaster().getPixels(0, 0, 28, 28, (int[]) null);
        assertArrayEquals(m.rawTrainImage(0), levels);
        assertTrue(Files.isRegularFile(dir.resolve("valid/7/0.png")));
        assertTrue(ex.out().contains("wrote 1000 training images"), ex.out());
        // writing it again replaces it as a unit; --out is required
        assertEquals(0, run("export-images", "--data", "sample", "--out", dir.toString()).code());
        assertEquals(2, run("export-images", "--data", "sample").code());

        Path out = tmp.resolve("run");
        CliRun t = run("train", "--images", dir.toString(), "--channels", "1", "--epochs", "4", "--bs", "64",
                "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("images: 1000 training and 200 validation images"), t.out());
        assertTrue(t.out().contains("no test images"), t.out());
        var report = ModelArchive.JSON.readTree(out.resolve("metrics.json").toFile());
        double accuracy = report.path("final").path("accuracy").asDouble();
        // the IDX path reaches 0.94-0.97 on this sample in 4 epochs; the same digits read as PNGs through DataVec must too
        assertTrue(accuracy > 0.9, "valid accuracy " + accuracy + "\n" + t.out());
        assertTrue(Files.size(out.resolve("charts/results.png")) > 1000);
        VisionModel model = VisionModel.load(out.resolve("model.zip"));
        assertEquals(1, model.input().channels());
        assertEquals(28, model.input().size());
        assertFalse(model.input().isMnist(), "a folder model reads pictures as its training images were read");

        // predict reads the picture through DataVec and names the class
        CliRun p = run("predict", "--model-file", out.resolve("model.zip").toString(), "--image", dir.resolve("valid/7/0.png").toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().startsWith("class: 7\n"), p.out());
        assertEquals(6, p.out().lines().count(), "the class and the top 5: " + p.out());
    }

    @Test
    void colourFolderTrainsPredictsClassNamesAndInterprets() throws Exception {
        Path dir = TestImages.trainValid(tmp.resolve("shapes"), List.of("top-left", "top-right", "bottom-left", "bottom-right"), 30);
        TestImages.write(dir.resolve("test/top-left"), 0, 4, 9);
        Path out = tmp.resolve("run");
        CliRun t = run("train", "--images", dir.toString(), "--size", "16", "--channels", "3", "--arch", "simple-cnn",
                "--epochs", "3", "--bs", "16", "--lr", "0.02", "--out", out.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("images: 120 training and 40 validation images"), t.out());
        assertTrue(t.out().contains("4 test images kept for the end"), t.out());
        assertTrue(t.out().contains("test accuracy"), t.out());
        var report = ModelArchive.JSON.readTree(out.resolve("metrics.json").toFile());
        assertEquals(List.of("bottom-left", "bottom-right", "top-left", "top-right"),
                ModelArchive.JSON.convertValue(report.path("final").path("classes"), List.class));
        assertEquals(4, report.path("final").path("test_images").asInt());

        Path picture = dir.resolve("valid/top-right/img000.png");
        CliRun p = run("predict", "--model-file", out.resolve("model.zip").toString(), "--image", picture.toString(), "--top", "2");
        assertEquals(0, p.code(), p.err());
        List<String> lines = p.out().lines().toList();
        assertTrue(lines.get(0).startsWith("note: resized from "), p.out());
        assertTrue(lines.get(1).startsWith("class: "), p.out());
        assertEquals(4, lines.size(), p.out());
        assertTrue(lines.get(2).matches("  (bottom-left|bottom-right|top-left|top-right) +0\\.\\d{4}"), p.out());

        Path interp = tmp.resolve("interp");
        CliRun i = run("interpret", "--model-file", out.resolve("model.zip").toString(), "--images", dir.toString(),
                "--out", interp.toString());
        assertEquals(0, i.code(), i.err());
        List<String> csv = Files.readAllLines(interp.resolve("confusion_matrix.csv"));
        assertEquals("actual\\predicted,bottom-left,bottom-right,top-left,top-right", csv.get(0));
        long total = csv.stream().skip(1).flatMap(l -> Stream.of(l.split(",")).skip(1)).mapToLong(Long::parseLong).sum();
        assertEquals(40, total, "every validation image counted once");
        assertTrue(i.out().contains("validation images: 40 from " + dir.resolve("valid")), i.out());
        assertTrue(i.out().contains("most confused (actual, predicted, count)"), i.out());
        assertTrue(Files.size(interp.resolve("confusion_matrix.png")) > 1000);
        assertTrue(Files.size(interp.resolve("top_losses.png")) > 1000);
        var json = ModelArchive.JSON.readTree(interp.resolve("interpret.json").toFile());
        assertEquals(9, json.path("top_losses").size());
        assertTrue(json.path("top_losses").get(0).path("image").asText().startsWith("valid/"), json.toString());

        // an MNIST model's interpretation reads MNIST; a folder model needs its folder
        CliRun noFolder = run("interpret", "--model-file", out.resolve("model.zip").toString(), "--data", "sample",
                "--out", tmp.resolve("i2").toString());
        assertEquals(2, noFolder.code(), noFolder.err());
        assertTrue(noFolder.err().contains("give the folder with --images DIR"), noFolder.err());
    }

    /** Most confused pairs are counted off the diagonal, most first, and printed. */
    @Test
    void interpretOnAnMnistModelListsTheMostConfusedDigits() throws Exception {
        Path out = tmp.resolve("mnist-run");
        assertEquals(0, run("train", "--data", "sample", "--epochs", "1", "--bs", "100", "--out", out.toString()).code());
        CliRun i = run("interpret", "--model-file", out.resolve("model.zip").toString(), "--data", "sample");
        assertEquals(0, i.code(), i.err());
        Path dir = out.resolve("interpret");
        long total = Files.readAllLines(dir.resolve("confusion_matrix.csv")).stream().skip(1)
                .flatMap(l -> Stream.of(l.split(",")).skip(1)).mapToLong(Long::parseLong).sum();
        assertEquals(167, total, "the sample's validation split: a sixth of its 1,000 training images");
        assertTrue(i.out().contains("validation images: 167 from the training run's split of MNIST's 1000 training images"),
                i.out());
        List<String> pairs = i.out().lines().dropWhile(l -> !l.startsWith("most confused")).skip(1)
                .takeWhile(l -> l.matches("  \\d  \\d  \\d+")).toList();
        assertFalse(pairs.isEmpty(), "one epoch on 833 digits leaves mistakes: " + i.out());
        long previous = Long.MAX_VALUE;
        for (String pair : pairs) {
            String[] f = pair.strip().split(" +");
            assertTrue(!f[0].equals(f[1]), pair);
            long n = Long.parseLong(f[2]);
            assertTrue(n <= previous, "sorted by count: " + pairs);
            previous = n;
        }
    }

    @Test
    void corruptImagesAreSkippedWithOneWarningOrWithStrictAreOneError() throws Exception {
        Path dir = TestImages.trainValid(tmp.resolve("d"), List.of("a", "b"), 12);
        Path bad = dir.resolve("train/a/zz-broken.jpg");
        Files.write(bad, new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2, 3});
        CliRun t = run("train", "--images", dir.toString(), "--size", "12", "--epochs", "1", "--bs", "8",
                "--out", tmp.resolve("r1").toString());
        assertEquals(0, t.code(), t.err());
        List<String> warnings = t.out().lines().filter(l -> l.startsWith("warning: ")).toList();
        assertEquals(1, warnings.size(), t.out());
        assertTrue(warnings.get(0).startsWith("warning: skipped 1 unreadable or empty image file: " + bad), warnings.get(0));
        CliRun strict = run("train", "--images", dir.toString(), "--size", "12", "--strict", "--epochs", "1",
                "--out", tmp.resolve("r2").toString());
        assertEquals(1, strict.code(), strict.out());
        List<String> err = strict.err().strip().lines().toList();
        assertEquals(1, err.size(), strict.err());
        assertTrue(err.get(0).startsWith("error: " + bad + ": cannot decode the JPEG image"), err.get(0));
        assertFalse(Files.exists(tmp.resolve("r2")), "a failed run leaves no folder");
        // predicting from an unreadable picture names it too
        CliRun p = run("predict", "--model-file", tmp.resolve("r1/model.zip").toString(), "--image", bad.toString());
        assertEquals(1, p.code());
        assertTrue(p.err().lines().anyMatch(l -> l.startsWith("error: " + bad + ": cannot decode the JPEG image")), p.err());
    }

    @Test
    void folderProblemsAndOptionMixesAreOneLine() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun r = run("train", "--images", empty.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(1, r.code());
        assertEquals("error: " + empty + ": no class folders with images (expected <class>/<image>.png or .jpg, one folder "
                + "per class, or train/<class>/ and valid/<class>/)", r.err().strip());
        String[][] usage = {
                {"--images", empty.toString(), "--data", "sample"},
                {"--size", "32"},
                {"--channels", "1"},
                {"--valid-pct", "0.3"},
                {"--strict"},
                {"--images", empty.toString(), "--valid-size", "10"},
                {"--images", empty.toString(), "--size", "16", "--shift", "8"},
                {"--images", empty.toString(), "--size", "4"},
                {"--images", empty.toString(), "--size", "1000"},
                {"--images", empty.toString(), "--channels", "2"},
                {"--images", empty.toString(), "--valid-pct", "1.5"},
        };
        for (String[] u : usage) {
            String[] args = Stream.concat(Stream.of("train"), Stream.concat(Stream.of(u), Stream.of("--out", tmp.resolve("o").toString())))
                    .toArray(String[]::new);
            CliRun c = run(args);
            assertEquals(2, c.code(), String.join(" ", u) + ": " + c.err());
            assertEquals(1, c.err().strip().lines().count(), c.err());
        }
        // lr-find takes the folder options too
        CliRun lf = run("lr-find", "--images", empty.toString(), "--data", "sample");
        assertEquals(2, lf.code(), lf.err());
    }

    /** A picture for an MNIST model keeps the digit behaviour (notes, all ten). */
    @Test
    void mnistModelsStillReadPicturesAsDigits() throws Exception {
        Path out = tmp.resolve("m");
        assertEquals(0, run("train", "--data", "sample", "--epochs", "1", "--bs", "100", "--subset", "300", "--out", out.toString())
                .code());
        Path png = tmp.resolve("d.png");
        ImageIO.write(DigitImage.toImage(Mnist.sample().rawTestImage(0)), "png", png.toFile());
        CliRun p = run("predict", "--model-file", out.resolve("model.zip").toString(), "--image", png.toString());
        assertEquals(0, p.code(), p.err());
        assertTrue(p.out().startsWith("digit: "), p.out());
        assertEquals(11, p.out().lines().count(), p.out());
    }
}
