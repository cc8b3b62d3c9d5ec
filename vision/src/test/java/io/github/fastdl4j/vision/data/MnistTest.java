package io.github.fastdl4j.vision.data;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.DataLoaders;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MnistTest {

    @Test
    void theCommittedSampleLoads() {
        Mnist m = Mnist.sample();
        assertEquals(1000, m.trainSize());
        assertEquals(200, m.testSize());
        assertEquals(1000 * 784, m.trainImages().length);
        assertTrue(Arrays.stream(m.trainLabels()).allMatch(l -> l >= 0 && l <= 9));
        assertEquals(10, Arrays.stream(m.trainLabels()).distinct().count(), "every digit occurs");
        assertEquals(5, m.trainLabels()[0], "MNIST's first training digit is a 5");
        // pixels scaled to [0, 1]: MNIST's mean is about 0.13, its std about 0.31
        assertEquals(0.13, m.mean(), 0.01);
        assertEquals(0.31, m.std(), 0.01);
        double mean = 0;
        for (float v : m.trainImages()) {
            mean += v / m.trainImages().length;
        }
        assertEquals(0, mean, 1e-3, "normalised with the training set's own statistics");
    }

    @Test
    void aTruncatedIdxFileIsAClearError(@TempDir Path dir) throws Exception {
        String base = "/io/github/fastdl4j/vision/mnist-sample/";
        for (String f : new String[]{"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            try (var in = Mnist.class.getResourceAsStream(base + f)) {
                Files.write(dir.resolve(f), in.readAllBytes());
            }
        }
        assertEquals(200, Mnist.load(dir).testSize());
        Path images = dir.resolve("t10k-images-idx3-ubyte.gz");
        byte[] gz = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(gz, gz.length / 2));
        var e = Assertions.assertThrows(BadInputException.class,
                () -> Mnist.load(dir));
        assertTrue(e.getMessage().startsWith(images.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void batchesHaveImageAndOneHotShapes() {
        DataLoaders d = Mnist.sample().loaders(64, 1, 300);
        MultiDataSet b = d.train().next();
        assertArrayEquals(new long[]{64, 1, 28, 28}, b.getFeatures(0).shape());
        assertArrayEquals(new long[]{64, 10}, b.getLabels(0).shape());
        assertEquals(64.0, b.getLabels(0).sumNumber().doubleValue(), 0);
        int n = 0;
        d.train().reset();
        while (d.train().hasNext()) {
            n += (int) d.train().next().getFeatures(0).size(0);
        }
        assertEquals(300, n, "subset");
    }

    /** Every choice is made on images split off the training set: no test image is ever in a training or validation batch. */
    @Test
    void validationImagesComeFromTheTrainingImagesNeverFromTheTestImages() {
        Mnist m = Mnist.sample();
        Set<Integer> test = new HashSet<>();
        for (int i = 0; i < m.testSize(); i++) {
            test.add(Arrays.hashCode(Arrays.copyOfRange(m.testImages(), i * Mnist.PIXELS, (i + 1) * Mnist.PIXELS)));
        }
        Set<Integer> training = new HashSet<>();
        for (int i = 0; i < m.trainSize(); i++) {
            training.add(Arrays.hashCode(Arrays.copyOfRange(m.trainImages(), i * Mnist.PIXELS, (i + 1) * Mnist.PIXELS)));
        }
        DataLoaders d = m.loaders(100, 1, 0);
        int[] counts = new int[2];
        Set<Integer> seen = new HashSet<>();
        for (int k = 0; k < 2; k++) {
            List<Integer> images = imageHashes(k == 0 ? d.train() : d.valid());
            for (int h : images) {
                assertTrue(training.contains(h) && !test.contains(h), "every image is a training image, none a test image");
            }
            seen.addAll(images);
            counts[k] = images.size();
        }
        assertEquals(m.defaultValidSize(), counts[1]);
        assertEquals(167, counts[1], "a sixth of the sample's 1,000 training images");
        assertEquals(m.trainSize(), counts[0] + counts[1]);
        assertEquals(m.trainSize(), seen.size(), "training and validation images are disjoint and cover the training set");
        // the same validation images whatever the run's seed
        assertEquals(m.loaders(100, 1, 0).valid().next().getFeatures(0), m.loaders(100, 7, 0).valid().next().getFeatures(0));
    }

    /** --valid-size 0 (fastbook's layout, the bench's default): every training image trains, the test set validates. */
    @Test
    void validSizeZeroTrainsOnEveryTrainingImageAndValidatesOnTheTestSet() {
        Mnist m = Mnist.sample();
        DataLoaders d = m.loaders(100, 1, 0, 0, 0);
        List<Integer> trainedImages = imageHashes(d.train());
        Set<Integer> trained = new HashSet<>(trainedImages);
        assertEquals(m.trainSize(), trainedImages.size());
        assertEquals(m.testSize(), imageHashes(d.valid()).size());
        d.valid().reset();
        assertEquals(m.testLoader(100).next().getFeatures(0), d.valid().next().getFeatures(0));
        assertTrue(trained.size() > 0.99 * m.trainSize(), "the training batches hold the training images");
        assertThrows(IllegalArgumentException.class, () -> m.loaders(100, 1, 0, 0, -1));
    }

    /** A hash of every image one pass of the batches gives, in order. */
    private static List<Integer> imageHashes(MultiDataSetIterator it) {
        List<Integer> out = new ArrayList<>();
        it.reset();
        while (it.hasNext()) {
            INDArray x = it.next().getFeatures(0);
            x = x.reshape(x.size(0), Mnist.PIXELS);
            for (int i = 0; i < x.size(0); i++) {
                out.add(Arrays.hashCode(x.getRow(i).toFloatVector()));
            }
        }
        return out;
    }
}
