package io.github.fastdl4j.vision;

import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.common.testing.CliRun;
import io.github.fastdl4j.common.testing.Fuzz;
import io.github.fastdl4j.vision.cli.VisionMain;
import io.github.fastdl4j.vision.data.DigitImage;
import io.github.fastdl4j.vision.data.Mnist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Mutated MNIST IDX files (the gzip bytes and, re-compressed, their content), PNG pictures and
 * vision model zips (the from-scratch net and a DL4J graph): each loads or is used, or is refused
 * with one line naming the file. {@code -Dfastdl4j.fuzz=N} tries N inputs per kind.
 */
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
        Path images = io.github.fastdl4j.vision.testing.TestImages.trainValid(tmp.resolve("images"), List.of("a", "b"), 4);
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
            DigitImage.read(f);
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
     * Mutated PNG and JPEG pictures read through DataVec (OpenCV, then Leptonica), as image
     * folders and folder models' predictions read them, and a folder model's zip given to predict.
     */
    @Test
    void picturesReadThroughDataVecAndFolderModelsAreUsedOrRefusedInOneLine() throws IOException {
        List<Fuzz.Report> reports = new ArrayList<>();
        long seed = 40;
        for (String format : new String[]{"png", "jpg"}) {
            Path original = tmp.resolve("colour." + format);
            ImageIO.write(io.github.fastdl4j.vision.testing.TestImages.picture(1, 24, 20, true, new java.util.Random(1)), format,
                    original.toFile());
            byte[] bytes = Files.readAllBytes(original);
            Path mutant = tmp.resolve("mutant." + format);
            reports.add(Fuzz.run("colour." + format + " (DataVec)", seed++, rng -> Fuzz.mutate(bytes, rng),
                    mutant.getFileName().toString(), b -> {
                        Files.write(mutant, b);
                        io.github.fastdl4j.vision.data.ImageFiles.readOne(mutant, 16, 3);
                    }));
        }
        Path folder = io.github.fastdl4j.vision.testing.TestImages.trainValid(tmp.resolve("folder"), List.of("a", "b"), 9);
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

    static void oneLineOrSuccess(CliRun r, Path file) {
        if (r.code() == 0) {
            return;
        }
        List<String> err = r.err().strip().lines().filter(l -> !l.startsWith("backend: ")).toList();
        if (r.code() == 1 && err.size() == 1 && err.get(0).startsWith("error: ") && !r.err().contains("\tat ")) {
            throw new DataException(err.get(0));
        }
        throw new AssertionError("exit " + r.code() + ": " + r.err());
    }

    private static void assertNoFailures(List<Fuzz.Report> reports) {
        List<String> failures = new ArrayList<>();
        reports.forEach(r -> r.failures().forEach(f -> failures.add(r.kind() + " #" + f)));
        assertEquals(List.of(), failures);
    }
}
