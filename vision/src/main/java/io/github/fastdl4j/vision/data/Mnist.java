package io.github.fastdl4j.vision.data;

import io.github.fastdl4j.common.data.ArrayDataLoader;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.data.IdxArray;
import io.github.fastdl4j.common.data.IdxReader;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.data.Splits;
import io.github.fastdl4j.vision.model.InputSpec;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * MNIST digits from the IDX files (never DL4J's downloading iterator): pixels scaled to [0, 1]
 * and normalised with the training set's mean and standard deviation, labels one-hot.
 *
 * @param trainImages n x 784 normalised pixels, flat
 * @param trainLabels the digits 0..9
 * @param testImages  m x 784
 * @param testLabels  the digits
 * @param mean        the training pixels' mean (after scaling to [0, 1])
 * @param std         their standard deviation
 */
public record Mnist(float[] trainImages, int[] trainLabels, float[] testImages, int[] testLabels, double mean, double std,
                    String checksum) implements ImageData {

    /** Pixels per image. */
    public static final int PIXELS = 28 * 28;
    private static final String SAMPLE = "/io/github/fastdl4j/vision/mnist-sample/";

    /** The four IDX files in a folder (as {@code Datasets.resolve("mnist")} gives). */
    public static Mnist load(Path dir) {
        return of(IdxReader.read(dir.resolve("train-images-idx3-ubyte.gz")),
                IdxReader.read(dir.resolve("train-labels-idx1-ubyte.gz")),
                IdxReader.read(dir.resolve("t10k-images-idx3-ubyte.gz")),
                IdxReader.read(dir.resolve("t10k-labels-idx1-ubyte.gz")));
    }

    /** The committed sample: the first 1,000 training and 200 test digits. */
    public static Mnist sample() {
        return of(resource("train-images-idx3-ubyte.gz"), resource("train-labels-idx1-ubyte.gz"),
                resource("t10k-images-idx3-ubyte.gz"), resource("t10k-labels-idx1-ubyte.gz"));
    }

    private static IdxArray resource(String name) {
        InputStream in = Mnist.class.getResourceAsStream(SAMPLE + name);
        if (in == null) {
            throw new BadInputException("the MNIST sample resource " + name + " is missing from the classpath");
        }
        return IdxReader.read("mnist-sample/" + name, in);
    }

    static Mnist of(IdxArray trainX, IdxArray trainY, IdxArray testX, IdxArray testY) {
        check(trainX, trainY, "training");
        check(testX, testY, "test");
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < trainX.data().length; i++) {
            double v = trainX.get(i) / 255.0;
            sum += v;
            sq += v * v;
        }
        long n = trainX.data().length;
        double mean = sum / n;
        double std = Math.sqrt(sq / n - mean * mean);
        return new Mnist(normalise(trainX, mean, std), labels(trainY), normalise(testX, mean, std), labels(testY), mean, std,
                checksum(trainX, trainY, testX, testY));
    }

    /** SHA-256 over the four arrays' dimensions and bytes: which data a model was trained on. */
    private static String checksum(IdxArray... arrays) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (IdxArray a : arrays) {
                md.update(Arrays.toString(a.dims()).getBytes(StandardCharsets.US_ASCII));
                md.update(a.data());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(IdxArray x, IdxArray y, String which) {
        if (x.dims().length != 3 || x.dims()[1] != 28 || x.dims()[2] != 28) {
            throw new BadInputException(x.source() + ": MNIST " + which + " images must be n x 28 x 28, got " + x);
        }
        if (y.dims().length != 1 || y.count() != x.count()) {
            throw new BadInputException(y.source() + ": MNIST " + which + " labels (" + y + ") do not match the images ("
                    + x + ") of " + x.source());
        }
        for (int i = 0; i < y.count(); i++) {
            if (y.get(i) > 9) {
                throw new BadInputException(y.source() + ": MNIST " + which + " label " + i + " is " + y.get(i) + ", expected 0..9");
            }
        }
    }

    private static float[] normalise(IdxArray x, double mean, double std) {
        float[] out = new float[x.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((x.get(i) / 255.0 - mean) / std);
        }
        return out;
    }

    private static int[] labels(IdxArray y) {
        int[] out = new int[y.count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = y.get(i);
        }
        return out;
    }

    public int trainSize() {
        return trainLabels.length;
    }

    @Override
    public int testSize() {
        return testLabels.length;
    }

    /** The raw grey levels (0..255) of test image {@code i}, undoing the normalisation. */
    public int[] rawTestImage(int i) {
        return raw(testImages, i);
    }

    /** The raw grey levels (0..255) of training image {@code i}, undoing the normalisation. */
    public int[] rawTrainImage(int i) {
        return raw(trainImages, i);
    }

    private int[] raw(float[] images, int i) {
        int[] out = new int[PIXELS];
        for (int k = 0; k < PIXELS; k++) {
            out[k] = (int) Math.round((images[i * PIXELS + k] * std + mean) * 255);
        }
        return out;
    }

    /** One grey 28x28 channel, the digits "0".."9", normalised with the training pixels' mean and std. */
    @Override
    public InputSpec input() {
        return InputSpec.mnist(mean, std);
    }

    /** As {@link #loaders(int, long, int, int, int)}; a null {@code validSize} is {@link #defaultValidSize}. */
    @Override
    public DataLoaders loaders(int batchSize, long seed, int subset, int shift, Integer validSize) {
        return loaders(batchSize, seed, subset, shift, validSize != null ? validSize : defaultValidSize());
    }

    /** Normalises raw pixels (0..255, 784 of them) as the training data was. */
    public float[] normalise(int[] pixels) {
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((pixels[i] / 255.0 - mean) / std);
        }
        return out;
    }

    /** The seed of the validation split: fixed, so that runs of any seed are compared on the same images. */
    public static final long SPLIT_SEED = 42;

    /** One sixth of the training images for validation: 10,000 of MNIST's 60,000, as large as its test set. */
    public int defaultValidSize() {
        return (int) Math.round(trainSize() / 6.0);
    }

    /**
     * Batches: training shuffled per epoch with the seed, validation in order; {@code subset} > 0
     * keeps only the first that many training images (quick runs). The validation images are
     * {@link #defaultValidSize} of the training images (a fixed seeded choice), never the test set.
     */
    public DataLoaders loaders(int batchSize, long seed, int subset) {
        return loaders(batchSize, seed, subset, 0);
    }

    /**
     * As {@link #loaders(int, long, int)}, the training batches moved by up to {@code shift}
     * pixels at random ({@link RandomShift}; 0 = no augmentation). Validation batches are never shifted.
     */
    public DataLoaders loaders(int batchSize, long seed, int subset, int shift) {
        return loaders(batchSize, seed, subset, shift, defaultValidSize());
    }

    /**
     * Training and validation batches from the training images: {@code validSize} of them
     * (chosen with {@link #SPLIT_SEED}) validate, the rest train. Every choice (architecture,
     * epochs, learning rate) is made on these; the test set is read once at the end, by
     * {@link #testLoader}.
     */
    public DataLoaders loaders(int batchSize, long seed, int subset, int shift, int validSize) {
        if (validSize < 0 || validSize >= trainSize()) {
            throw new IllegalArgumentException("the validation set needs 0.." + (trainSize() - 1) + " images, got " + validSize);
        }
        if (validSize == 0) {
            // fastbook's MNIST layout: train on every training image, validate on the test set (for fixed
            // recipes such as the bench, compared with PyTorch trained on all 60,000; no choice may be made on it)
            int[] all = IntStream.range(0, trainSize()).toArray();
            Random r = new Random(SPLIT_SEED);
            for (int i = all.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = all[i];
                all[i] = all[j];
                all[j] = t;
            }
            return new DataLoaders(trainLoader(subset > 0 && subset < all.length ? Arrays.copyOf(all, subset) : all, batchSize,
                    seed, shift), testLoader(batchSize));
        }
        Split split = Splits.random(trainSize(), (double) validSize / trainSize(), SPLIT_SEED);
        int[] trainRows = subset > 0 && subset < split.train().length ? Arrays.copyOf(split.train(), subset) : split.train();
        ArrayDataLoader train = trainLoader(trainRows, batchSize, seed, shift);
        ArrayDataLoader valid = ArrayDataLoader.builder().input(images(split.valid()), 1, 28, 28)
                .label(oneHot(trainLabels, split.valid()), 10).batchSize(Math.max(batchSize, 1000)).build();
        return new DataLoaders(train, valid);
    }

    private ArrayDataLoader trainLoader(int[] rows, int batchSize, long seed, int shift) {
        ArrayDataLoader train = ArrayDataLoader.builder().input(images(rows), 1, 28, 28)
                .label(oneHot(trainLabels, rows), 10).batchSize(batchSize).shuffle(seed).build();
        if (shift > 0) {
            train.setPreProcessor(new RandomShift(shift, (float) (-mean / std), seed));
        }
        return train;
    }

    /** The test images, in order: read once, after every choice was made on the validation set. */
    @Override
    public ArrayDataLoader testLoader(int batchSize) {
        return ArrayDataLoader.builder().input(testImages, 1, 28, 28).label(oneHot(testLabels, testSize()), 10)
                .batchSize(Math.max(batchSize, 1000)).build();
    }

    private float[] images(int[] rows) {
        float[] out = new float[rows.length * PIXELS];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(trainImages, rows[i] * PIXELS, out, i * PIXELS, PIXELS);
        }
        return out;
    }

    private static float[] oneHot(int[] labels, int[] rows) {
        float[] out = new float[rows.length * 10];
        for (int i = 0; i < rows.length; i++) {
            out[i * 10 + labels[rows[i]]] = 1;
        }
        return out;
    }

    /** One-hot rows for the first {@code n} labels. */
    public static float[] oneHot(int[] labels, int n) {
        float[] out = new float[n * 10];
        for (int i = 0; i < n; i++) {
            out[i * 10 + labels[i]] = 1;
        }
        return out;
    }

    @Override
    public String describe(long trainImages, long validImages, boolean validFromTest, double readSeconds) {
        if (validFromTest) {
            return String.format(Locale.ROOT, "MNIST: all %d training images train; the %d test images validate "
                    + "(--valid-size 0, fastbook's layout: make no choice on these numbers)", trainImages, testSize());
        }
        return String.format(Locale.ROOT, "MNIST: %d training and %d validation images (taken from the %d training "
                        + "images), %d test images kept for the end (pixel mean %.4f, std %.4f)", trainImages, validImages,
                trainSize(), testSize(), mean(), std());
    }

    @Override
    public String inputNote() {
        return "";
    }

    @Override
    public Map<String, Object> facts() {
        return Map.of();
    }
}
