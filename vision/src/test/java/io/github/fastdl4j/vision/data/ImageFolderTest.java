package io.github.fastdl4j.vision.data;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.vision.model.InputSpec;
import io.github.fastdl4j.vision.testing.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.nio.ByteBuffer;
import java.util.Random;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderTest {

    @TempDir
    Path tmp;

    @Test
    void trainAndValidFoldersGiveClassesCountsShapesAndTrainingOnlyNormalisation() throws Exception {
        Path root = TestImages.trainValid(tmp.resolve("shapes"), List.of("square", "circle", "line"), 24);
        // ignored: a file that is not an image, a hidden file, an empty class folder
        Files.writeString(root.resolve("train/square/notes.txt"), "not an image");
        Files.write(root.resolve("train/square/.DS_Store"), new byte[]{1, 2, 3});
        Files.createDirectories(root.resolve("train/empty"));
        ImageFolder f = ImageFolder.load(root, new ImageFolder.Options(16, 3, 0.2, false));
        InputSpec in = f.input();
        assertEquals(List.of("circle", "line", "square"), in.classes(), "sorted folder names");
        assertEquals(3, in.channels());
        assertEquals(16, in.size());
        assertEquals(InputSpec.FOLDER, in.data());
        assertNull(in.validPct(), "the folder has valid/: no random split");
        assertEquals(72, f.train().size());
        assertEquals(24, f.valid().size());
        assertEquals(0, f.testSize());
        assertEquals(72 * 3 * 16 * 16, f.train().pixels().length);
        assertEquals(List.of(), f.skipped());
        // labels follow the folders: the first 24 training files are circle's
        assertTrue(f.train().files().get(0).toString().contains("/train/circle/"));
        assertEquals(0, f.train().labels()[0]);
        assertEquals(2, f.train().labels()[71]);
        // normalised with the training images' own statistics: mean 0, std 1 per channel
        for (int c = 0; c < 3; c++) {
            double[] ms = channelStats(f.train().pixels(), 3, 256, c);
            assertEquals(0, ms[0], 1e-4, "channel " + c + " mean");
            assertEquals(1, ms[1], 1e-4, "channel " + c + " std");
        }
        // the validation images do not enter the statistics
        double[] validMs = channelStats(f.valid().pixels(), 3, 256, 0);
        assertNotEquals(0, validMs[0], 1e-4);

        DataLoaders dl = f.loaders(10, 1, 0, 0, null);
        MultiDataSet b = dl.train().next();
        assertArrayEquals(new long[]{10, 3, 16, 16}, b.getFeatures(0).shape());
        assertArrayEquals(new long[]{10, 3}, b.getLabels(0).shape());
        assertThrows(IllegalArgumentException.class, () -> f.loaders(10, 1, 0, 0, 100), "--valid-size is MNIST's");
        // grey reading: one channel
        ImageFolder grey = ImageFolder.load(root, new ImageFolder.Options(8, 1, 0.2, false));
        assertEquals(72 * 8 * 8, grey.train().pixels().length);
        assertNotEquals(f.checksum(), grey.checksum(), "the checksum covers how the images were read");
        assertEquals(f.checksum(), ImageFolder.load(root, new ImageFolder.Options(16, 3, 0.2, false)).checksum());
    }

    @Test
    void oneLevelOfClassFoldersIsSplitWithTheSeededValidShare() throws Exception {
        Path root = tmp.resolve("flat");
        TestImages.write(root.resolve("a"), 0, 30, 1);
        TestImages.write(root.resolve("b"), 1, 30, 1);
        TestImages.write(root.resolve("test/a"), 0, 4, 3);
        TestImages.write(root.resolve("test/b"), 1, 5, 3);
        ImageFolder f = ImageFolder.load(root, new ImageFolder.Options(12, 1, 0.25, false));
        assertEquals(List.of("a", "b"), f.input().classes(), "test/ is the test set, not a class");
        assertEquals(15, f.valid().size());
        assertEquals(45, f.train().size());
        assertEquals(9, f.testSize());
        assertEquals(0.25, f.input().validPct());
        // the same split every time (fixed seed), and no image in both sets
        ImageFolder again = ImageFolder.load(root, new ImageFolder.Options(12, 1, 0.25, false));
        assertEquals(f.valid().files(), again.valid().files());
        assertTrue(f.valid().files().stream().noneMatch(f.train().files()::contains));
        ImageFolder other = ImageFolder.load(root, new ImageFolder.Options(12, 1, 0.4, false));
        assertEquals(24, other.valid().size());
        // a model's view of the same folder: the training run's validation images
        ImageFolder.Validation v = ImageFolder.validation(root, f.input(), false);
        assertEquals(f.valid().files(), v.images().files());
        assertArrayEquals(f.valid().pixels(), v.images().pixels(), 0f);
    }

    @Test
    void pixelsAreScaledToZeroOneInOpenCvsChannelOrder() throws Exception {
        BufferedImage red = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                red.setRGB(x, y, 0xFF0000);
            }
        }
        Path png = tmp.resolve("red.png");
        ImageIO.write(red, "png", png.toFile());
        float[] v = ImageFiles.readOne(png, 8, 3);
        assertEquals(3 * 64, v.length);
        assertEquals(0f, v[0], 1e-6, "blue");
        assertEquals(0f, v[64], 1e-6, "green");
        assertEquals(1f, v[128], 1e-6, "red");
        float[] grey = ImageFiles.readOne(png, 8, 1);
        assertEquals(76 / 255f, grey[0], 1.5f / 255, "luminance of pure red (0.299)");
    }

    /** A few bytes can declare a gigapixel image: its header is read before OpenCV allocates anything. */
    @Test
    void aHeaderDeclaringAGiantImageIsRefusedBeforeDecoding() throws Exception {
        Path png = tmp.resolve("giant.png");
        ImageIO.write(TestImages.picture(0, 10, 10, false, new Random(1)), "png", png.toFile());
        byte[] b = Files.readAllBytes(png);
        ByteBuffer.wrap(b, 16, 8).putInt(100_000).putInt(100_000);
        Files.write(png, b);
        assertArrayEquals(new int[]{100_000, 100_000}, ImageFiles.header(png));
        BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.readOne(png, 16, 1));
        assertEquals(png + ": image of 100000x100000 pixels is too large (at most 50000000 pixels)", e.getMessage());
        ByteBuffer.wrap(b, 16, 4).putInt(-7);
        Files.write(png, b);
        assertTrue(assertThrows(BadInputException.class, () -> ImageFiles.readOne(png, 16, 1)).getMessage()
                .contains("damaged image header"));
    }

    @Test
    void unreadableImagesAreSkippedWithACountOrWithStrictAreOneErrorNamingTheFile() throws Exception {
        Path root = TestImages.trainValid(tmp.resolve("d"), List.of("x", "y"), 12);
        Path corrupt = root.resolve("train/x/broken.png");
        Files.write(corrupt, "this is not a PNG at all, just text".getBytes());
        Path empty = root.resolve("valid/y/empty.jpg");
        Files.write(empty, new byte[0]);
        byte[] png = Files.readAllBytes(root.resolve("train/y/img000.png"));
        Path truncated = root.resolve("train/y/truncated.png");
        Files.write(truncated, Arrays.copyOf(png, png.length / 2));
        ImageFolder f = ImageFolder.load(root, new ImageFolder.Options(16, 1, 0.2, false));
        assertEquals(24, f.train().size());
        assertEquals(8, f.valid().size());
        assertEquals(List.of(corrupt, truncated, empty), f.skipped().stream().map(ImageFiles.Failure::file).toList());
        String w = ImageFiles.warning(f.skipped());
        assertEquals(1, w.lines().count());
        assertTrue(w.startsWith("warning: skipped 3 unreadable or empty image files: " + corrupt), w);
        assertTrue(w.contains(empty + " (empty file)"), w);
        BadInputException e = assertThrows(BadInputException.class,
                () -> ImageFolder.load(root, new ImageFolder.Options(16, 1, 0.2, true)));
        assertTrue(e.getMessage().startsWith(corrupt + ": cannot decode the image"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void foldersWithoutClassesOrImagesAreOneLineNamingTheFolder() throws Exception {
        Path none = Files.createDirectories(tmp.resolve("nothing"));
        BadInputException e = assertThrows(BadInputException.class, () -> load(none));
        assertTrue(e.getMessage().startsWith(none + ": no class folders with images"), e.getMessage());
        Files.createDirectories(none.resolve("cats"));
        Files.writeString(none.resolve("cats/readme.txt"), "no pictures here");
        assertTrue(assertThrows(BadInputException.class, () -> load(none)).getMessage().startsWith(none + ": no class folders"));
        Path flat = Files.createDirectories(tmp.resolve("flat"));
        TestImages.write(flat, 0, 3, 1);    // images, but not in class folders
        assertTrue(assertThrows(BadInputException.class, () -> load(flat)).getMessage().startsWith(flat + ": no class folders"));
        Path one = tmp.resolve("one");
        TestImages.write(one.resolve("only"), 0, 5, 1);
        assertTrue(assertThrows(BadInputException.class, () -> load(one)).getMessage().contains("only one class folder"));
        Path missing = tmp.resolve("missing");
        assertEquals(missing + ": image folder not found", assertThrows(BadInputException.class, () -> load(missing)).getMessage());
        Path stranger = TestImages.trainValid(tmp.resolve("stranger"), List.of("a", "b"), 3);
        TestImages.write(stranger.resolve("valid/zebra"), 2, 2, 1);
        assertTrue(assertThrows(BadInputException.class, () -> load(stranger)).getMessage()
                .startsWith(stranger.resolve("valid/zebra") + ": class 'zebra' is not one of the 2 classes [a, b]"));
        Path validOnly = tmp.resolve("validonly");
        TestImages.write(validOnly.resolve("valid/a"), 0, 3, 1);
        assertTrue(assertThrows(BadInputException.class, () -> load(validOnly)).getMessage().contains("has valid/ but no train/"));
        Path tiny = tmp.resolve("tiny");
        TestImages.write(tiny.resolve("a"), 0, 1, 1);
        TestImages.write(tiny.resolve("b"), 1, 1, 1);
        assertTrue(assertThrows(BadInputException.class, () -> load(tiny)).getMessage().contains("2 images are too few to split off"));
    }

    private static ImageFolder load(Path root) {
        return ImageFolder.load(root, new ImageFolder.Options(16, 1, 0.2, false));
    }

    /** Mean and std of one channel over images [n][channels][plane]. */
    static double[] channelStats(float[] px, int channels, int plane, int c) {
        double s = 0;
        double s2 = 0;
        long n = 0;
        for (int i = 0; i < px.length / (channels * plane); i++) {
            for (int p = 0; p < plane; p++) {
                double v = px[(i * channels + c) * plane + p];
                s += v;
                s2 += v * v;
                n++;
            }
        }
        double m = s / n;
        return new double[]{m, Math.sqrt(s2 / n - m * m)};
    }
}
