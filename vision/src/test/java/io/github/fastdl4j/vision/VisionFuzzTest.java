package io.github.fastdl4j.vision;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.testing.Fuzz;
import io.github.fastdl4j.vision.cli.VisionMain;
import io.github.fastdl4j.vision.data.DigitImage;
import io.github.fastdl4j.vision.data.ImageFiles;
import io.github.fastdl4j.vision.data.Mnist;
import io.github.fastdl4j.vision.testing.ReadImages;
import io.github.fastdl4j.vision.testing.TestImages;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Random;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutated MNIST IDX files (the gzip bytes and, re-compressed, their content), PNG pictures and
 * vision model zips (the from-scratch net and a DL4J graph), 16-bit PNGs, GIF, BMP and WebP
 * pictures, and PNGs cut short (read in a child JVM, whose stderr must stay empty): each loads or
 * is used, or is refused with one line naming the file. {@code -Dfastdl4j.fuzz=N} tries N inputs per kind.
 */
@Tag("slow")
class VisionFuzzTest {

    private static final String[] IDX = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    @TempDir
    Path tmp;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = Mnist.class.getResourceAsStream("/io/github/fastdl4j/vision/mnist-sample/" + name)) {
            return in.readAllBytes();
        }
    }

    /** Outputs equal to inputs, however spelled: every writing command refuses them and changes nothing. */
    @Test
    void outputsEqualToInputsAreRefusedAndChangeNothing() throws IOException {
        Path images = TestImages.trainValid(tmp.resolve("images"), List.of("a", "b"), 4);
        Path run = tmp.resolve("run");
        assertEquals(0, CliRun.run(new VisionMain(), "vision", "train", "--images", images.toString(), "--size", "12",
                "--channels", "1", "--epochs", "1", "--bs", "4", "--out", run.toString()).code());
        Path model = run.resolve("model.zip");
        List<Fuzz.Command> commands = List.of(
                new Fuzz.Command(List.of("interpret", "--model-file", model.toString(), "--images", images.toString()),
                        List.of(model, run, images)),
                new Fuzz.Command(List.of("train", "--images", images.toString(), "--size", "12", "--channels", "1"), List.of(images)),
                new Fuzz.Command(List.of("lr-find", "--images", images.toString(), "--size", "12", "--channels", "1"),
                        List.of(images)),
                new Fuzz.Command(List.of("export-images", "--data-dir", images.toString()), List.of(images)),
                new Fuzz.Command(List.of("explain"), List.of(run)));
        assertNoFailures(List.of(Fuzz.outputsEqualToInputs("--out = an input (vision)", tmp.resolve("links"), commands,
                args -> CliRun.run(new VisionMain(), "vision", args))));
    }

    @Test
    void idxFilesAreLoadedOrRefusedInOneLine() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("mnist"));
        for (String f : IDX) {
            Files.write(dir.resolve(f), resource(f));
        }
        List<Fuzz.Report> reports = new ArrayList<>();
        long seed = 1;
        for (String f : new String[]{IDX[0], IDX[3]}) {
            byte[] original = resource(f);
            Fuzz.Target load = bytes -> {
                Files.write(dir.resolve(f), bytes);
                Mnist.load(dir);
            };
            reports.add(Fuzz.run(f + " (gzip bytes)", seed++, rng -> Fuzz.mutate(original, rng), f, load));
            reports.add(Fuzz.run(f + " (content)", seed++, rng -> Fuzz.mutateGzipContent(original, rng), f, load));
            Files.write(dir.resolve(f), original);
        }
        assertNoFailures(reports);
    }

    @Test
    void picturesAndModelZipsAreUsedOrRefusedInOneLine() throws IOException {
        Mnist m = Mnist.sample();
        Path png = tmp.resolve("digit.png");
        ImageIO.write(DigitImage.toImage(m.rawTestImage(0)), "png", png.toFile());
        byte[] pngBytes = Files.readAllBytes(png);
        List<Fuzz.Report> reports = new ArrayList<>();
        reports.add(Fuzz.run("digit.png", 11, rng -> Fuzz.mutate(pngBytes, rng), "digit-mutant.png", bytes -> {
            Path f = tmp.resolve("digit-mutant.png");
            Files.write(f, bytes);
            sameFromMemory(() -> DigitImage.read(f).values(), () -> DigitImage.read(bytes, f.toString()).values());
        }));
        long seed = 20;
        for (String[] arch : new String[][]{{"simple-cnn", "scratch"}, {"stride2", "stock"}}) {
            Path run = tmp.resolve("run-" + arch[0]);
            CliRun t = CliRun.run(new VisionMain(), "vision", "train", "--data", "sample", "--arch", arch[0], "--build", arch[1],
                    "--epochs", "1", "--bs", "100", "--subset", "300", "--out", run.toString());
            assertEquals(0, t.code(), t.err());
            byte[] zip = Files.readAllBytes(run.resolve("model.zip"));
            Path mutant = tmp.resolve(arch[0] + "-mutant.zip");
            reports.add(Fuzz.run("model.zip (" + arch[0] + ")", seed++,
                    rng -> rng.nextInt(4) == 0 ? Fuzz.mutate(zip, rng) : Fuzz.mutateZip(zip, rng), mutant.getFileName().toString(),
                    bytes -> {
                        Files.write(mutant, bytes);
                        CliRun r = CliRun.run(new VisionMain(), "vision", "predict", "--model-file", mutant.toString(),
                                "--image", png.toString());
                        oneLineOrSuccess(r, mutant);
                    }));
        }
        assertNoFailures(reports);
    }

    /**
     * A picture read from its file and from its bytes in memory (as the server reads an upload):
     * the same values, or the same one-line error (thrown, for the harness to judge).
     */
    private static void sameFromMemory(Supplier<Object> fromFile, Supplier<Object> fromBytes) {
        Object memory;
        try {
            memory = fromBytes.get();
        } catch (BadInputException e) {
            memory = e.getMessage();
        }
        Object file;
        try {
            file = fromFile.get();
        } catch (BadInputException e) {
            if (!e.getMessage().equals(memory)) {
                throw new AssertionError("from memory: " + memory + "; from the file: " + e.getMessage());
            }
            throw e;
        }
        if (!Objects.deepEquals(file, memory)) {
            throw new AssertionError("from memory: " + (memory instanceof String m ? m : "other values") + "; from the file: values");
        }
    }

    /**
     * Mutated PNG and JPEG pictures read as image folders and folder models' predictions read them
     * ({@code ImageFiles}: Java's decoders, then DataVec's loader), and a folder model's zip given to predict.
     */
    @Test
    void picturesReadThroughDataVecAndFolderModelsAreUsedOrRefusedInOneLine() throws IOException {
        List<Fuzz.Report> reports = new ArrayList<>();
        long seed = 40;
        for (String format : new String[]{"png", "jpg"}) {
            Path original = tmp.resolve("colour." + format);
            ImageIO.write(TestImages.picture(1, 24, 20, true, new Random(1)), format,
                    original.toFile());
            byte[] bytes = Files.readAllBytes(original);
            Path mutant = tmp.resolve("mutant." + format);
            reports.add(Fuzz.run("colour." + format + " (DataVec)", seed++, rng -> Fuzz.mutate(bytes, rng),
                    mutant.getFileName().toString(), b -> {
                        Files.write(mutant, b);
                        sameFromMemory(() -> ImageFiles.readOne(mutant, 16, 3),
                                () -> ImageFiles.readOne(b, mutant.toString(), 16, 3));
                    }));
        }
        Path folder = TestImages.trainValid(tmp.resolve("folder"), List.of("a", "b"), 9);
        Path run = tmp.resolve("run-folder");
        CliRun t = CliRun.run(new VisionMain(), "vision", "train", "--images", folder.toString(), "--size", "16", "--arch",
                "simple-cnn", "--epochs", "1", "--bs", "8", "--out", run.toString());
        assertEquals(0, t.code(), t.err());
        byte[] zip = Files.readAllBytes(run.resolve("model.zip"));
        Path mutantZip = tmp.resolve("folder-mutant.zip");
        Path picture = folder.resolve("valid/a/img000.png");
        reports.add(Fuzz.run("model.zip (image folder)", seed, rng -> rng.nextInt(4) == 0 ? Fuzz.mutate(zip, rng)
                : Fuzz.mutateZip(zip, rng), mutantZip.getFileName().toString(), bytes -> {
                    Files.write(mutantZip, bytes);
                    CliRun r = CliRun.run(new VisionMain(), "vision", "predict", "--model-file", mutantZip.toString(),
                            "--image", picture.toString());
                    oneLineOrSuccess(r, mutantZip);
                }));
        assertNoFailures(reports);
    }

    /** A 16 x 16 grey or colour picture from {@link io.github.fastdl4j.vision.testing.TestImages}, at 8 or 16 bits a sample. */
    private static BufferedImage picture(boolean colour, boolean sixteen) {
        BufferedImage eight = TestImages.picture(2, 16, 16, colour,
                new Random(5));
        if (!sixteen) {
            return eight;
        }
        BufferedImage wide;
        if (colour) {
            ComponentColorModel cm = new ComponentColorModel(
                    ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                    Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
            wide = new BufferedImage(cm, cm.createCompatibleWritableRaster(16, 16), false, null);
        } else {
            wide = new BufferedImage(16, 16, BufferedImage.TYPE_USHORT_GRAY);
        }
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                for (int b = 0; b < (colour ? 3 : 1); b++) {
                    // 257 x an 8-bit level is the same fraction of 65535: the twin reads the same
                    wide.getRaster().setSample(x, y, b, 257 * eight.getRaster().getSample(x, y, b));
                }
            }
        }
        return wide;
    }

    /**
     * The depths and formats that were misread: 16-bit PNGs (scaled by 1/255: values up to 257),
     * GIF (refused as damaged), BMP and WebP. Each original reads exactly as its 8-bit PNG twin;
     * each mutant is read with every value in [0, 1], or refused in one line.
     */
    @Test
    void sixteenBitAndGifBmpWebpPicturesAreReadAtTheirDepthOrRefusedInOneLine() throws IOException {
        List<Fuzz.Report> reports = new ArrayList<>();
        long seed = 60;
        Map<String, byte[]> originals = new LinkedHashMap<>();
        for (boolean colour : new boolean[]{false, true}) {
            String name = colour ? "rgb" : "grey";
            Path twin = tmp.resolve(name + "8.png");
            ImageIO.write(picture(colour, false), "png", twin.toFile());
            float[] expected = ImageFiles.readOne(twin, 16, 3);
            Path wide = tmp.resolve(name + "16.png");
            ImageIO.write(picture(colour, true), "png", wide.toFile());
            originals.put(name + "16.png", Files.readAllBytes(wide));
            assertArrayEquals(expected, ImageFiles.readOne(wide, 16, 3), 1e-6f, name + " 16-bit");
            // GIF holds 256 colours: the grey picture; BMP both
            for (String format : colour ? new String[]{"bmp"} : new String[]{"gif", "bmp"}) {
                Path f = tmp.resolve(name + "." + format);
                ImageIO.write(picture(colour, false), format, f.toFile());
                originals.put(name + "." + format, Files.readAllBytes(f));
                assertArrayEquals(expected, ImageFiles.readOne(f, 16, 3), 1e-7f, f.toString());
            }
            if (colour) {
                Path webp = tmp.resolve("rgb.webp");
                try (Mat m = org.bytedeco.opencv.global.opencv_imgcodecs.imread(twin.toString())) {
                    org.bytedeco.opencv.global.opencv_imgcodecs.imwrite(webp.toString(), m);   // lossless by default
                }
                originals.put("rgb.webp", Files.readAllBytes(webp));
                assertArrayEquals(expected, ImageFiles.readOne(webp, 16, 3), 1e-7f, "WebP");
            }
        }
        for (Map.Entry<String, byte[]> e : originals.entrySet()) {
            Path mutant = tmp.resolve("mutant-" + e.getKey());
            reports.add(Fuzz.run(e.getKey(), seed++, rng -> Fuzz.mutate(e.getValue(), rng), mutant.getFileName().toString(), b -> {
                Files.write(mutant, b);
                for (float v : ImageFiles.readOne(mutant, 16, 3)) {
                    if (!(v >= 0 && v <= 1)) {
                        throw new AssertionError("read a value " + v + " outside [0, 1]");
                    }
                }
            }));
        }
        assertNoFailures(reports);
    }

    /**
     * PNGs cut at random lengths, read in a child JVM: each refused in one line (or read, where
     * the cut spares the pixels), and nothing written on the process's stderr ("libpng error:"
     * lines came from OpenCV's native decoder).
     */
    @Test
    void truncatedPngsAreRefusedInOneLineWithNothingOnStderr() throws Exception {
        Path original = tmp.resolve("whole.png");
        ImageIO.write(TestImages.picture(3, 24, 20, true, new Random(2)), "png",
                original.toFile());
        byte[] bytes = Files.readAllBytes(original);
        Random rng = new Random(80);
        List<Path> cut = new ArrayList<>();
        for (int i = 0; i < Fuzz.iterations(); i++) {
            Path f = tmp.resolve("cut" + i + ".png");
            Files.write(f, Arrays.copyOf(bytes, 1 + rng.nextInt(bytes.length - 1)));
            cut.add(f);
        }
        ReadImages.Result r = ReadImages.inChild(tmp, cut);
        assertEquals(cut.size(), r.lines().size(), r.lines().toString());
        for (int i = 0; i < cut.size(); i++) {
            String line = r.lines().get(i);
            assertTrue(line.equals("read " + cut.get(i)) || line.startsWith("refused: " + cut.get(i) + ": "), line);
        }
        assertEquals("", r.stderr());
    }

    static void oneLineOrSuccess(CliRun r, Path file) {
        if (r.code() == 0) {
            return;
        }
        List<String> err = r.err().strip().lines().filter(l -> !l.startsWith("backend: ")).toList();
        if (r.code() == 1 && err.size() == 1 && err.get(0).startsWith("error: ") && !r.err().contains("\tat ")) {
            throw new BadInputException(err.get(0));
        }
        throw new AssertionError("exit " + r.code() + ": " + r.err());
    }

    private static void assertNoFailures(List<Fuzz.Report> reports) {
        List<String> failures = new ArrayList<>();
        reports.forEach(r -> r.failures().forEach(f -> failures.add(r.kind() + " #" + f)));
        assertEquals(List.of(), failures);
    }
}
