package io.github.fastdl4j.vision.testing;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tiny generated image folders for tests: each class is a bright square in its own quadrant
 * (class i % 4: 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right) of a dark, noisy picture, so a small net tells them apart in a few
 * steps; sizes from 8x8 to 32x32 (not square), grey and colour, PNG and JPEG mixed.
 */
public final class TestImages {

    private TestImages() {
    }

    /** Writes {@code count} images of class number {@code index} into {@code dir} (created); returns the files. */
    public static List<Path> write(Path dir, int index, int count, long seed) throws IOException {
        Files.createDirectories(dir);
        Random rng = new Random(seed * 31 + index);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int w = 8 + rng.nextInt(25);
            int h = 8 + rng.nextInt(25);
            boolean colour = i % 2 == 1;
            boolean jpeg = i % 3 == 2;
            BufferedImage img = picture(index, w, h, colour, rng);
            Path f = dir.resolve(String.format("img%03d.%s", i, jpeg ? "jpg" : "png"));
            ImageIO.write(img, jpeg ? "jpg" : "png", f.toFile());
            files.add(f);
        }
        return files;
    }

    /** One picture of class {@code index}. */
    public static BufferedImage picture(int index, int w, int h, boolean colour, Random rng) {
        BufferedImage img = new BufferedImage(w, h, colour ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        int q = index % 4;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean inside = (x < w / 2) == (q % 2 == 0) && (y < h / 2) == (q / 2 == 0);
                int v = Math.max(0, Math.min(255, (inside ? 200 : 30) + rng.nextInt(41) - 20));
                if (colour) {
                    // the colour also tells the class: more red for even classes, more blue for odd ones
                    int r = index % 2 == 0 ? v : v / 2;
                    int b = index % 2 == 1 ? v : v / 2;
                    img.setRGB(x, y, (r << 16) | (v << 8) | b);
                } else {
                    img.getRaster().setSample(x, y, 0, v);
                }
            }
        }
        return img;
    }

    /**
     * fastai's layout: {@code root/train/<class>/} with {@code perClass} images and
     * {@code root/valid/<class>/} with a third as many, for the given class names.
     */
    public static Path trainValid(Path root, List<String> classes, int perClass) throws IOException {
        for (int c = 0; c < classes.size(); c++) {
            write(root.resolve("train").resolve(classes.get(c)), c, perClass, 1);
            write(root.resolve("valid").resolve(classes.get(c)), c, Math.max(1, perClass / 3), 2);
        }
        return root;
    }
}
