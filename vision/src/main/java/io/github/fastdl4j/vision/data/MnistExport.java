package io.github.fastdl4j.vision.data;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * Writes MNIST as an image folder in fastai's layout: {@code train/<digit>/<n>.png} (the
 * training images) and {@code valid/<digit>/<n>.png} (the test images), {@code n} the image's
 * index in its IDX file, each an 8-bit grey 28x28 PNG holding the original grey levels (the
 * round trip through the normalised floats is exact).
 */
public final class MnistExport {

    private MnistExport() {
    }

    /**
     * Images written.
     *
     * @param train training images
     * @param valid validation images (MNIST's test images)
     */
    public record Counts(int train, int valid) {
    }

    /** Writes into {@code dir} (which should be a {@code RunFolder}'s, so the tree appears as a unit). */
    public static Counts write(Mnist mnist, Path dir) throws IOException {
        for (String set : new String[]{"train", "valid"}) {
            for (int d = 0; d < 10; d++) {
                Files.createDirectories(dir.resolve(set).resolve(Integer.toString(d)));
            }
        }
        try {
            IntStream.range(0, mnist.trainSize()).parallel().forEach(i ->
                    png(dir.resolve("train"), mnist.trainLabels()[i], i, mnist.rawTrainImage(i)));
            IntStream.range(0, mnist.testSize()).parallel().forEach(i ->
                    png(dir.resolve("valid"), mnist.testLabels()[i], i, mnist.rawTestImage(i)));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return new Counts(mnist.trainSize(), mnist.testSize());
    }

    private static void png(Path set, int digit, int index, int[] pixels) {
        Path file = set.resolve(Integer.toString(digit)).resolve(index + ".png");
        try {
            // to the file itself: ImageIO's stream path would cache through a temporary file
            if (!ImageIO.write(DigitImage.toImage(pixels), "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot write " + file + ": " + e.getMessage(), e));
        }
    }
}
