package io.github.fastdl4j.vision.data;

import io.github.fastdl4j.common.data.ArrayDataLoader;
import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.data.Splits;
import io.github.fastdl4j.vision.model.InputSpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A folder of labelled images, as fastai's {@code ImageDataLoaders.from_folder(path, train, valid)}:
 * <ul>
 * <li>{@code DIR/train/<class>/*} and {@code DIR/valid/<class>/*} (fastai's layout; also how
 * {@code vision export-images} writes MNIST), or {@code DIR/train/<class>/*} alone, or one level
 * of class folders {@code DIR/<class>/*}: without {@code valid/} a seeded random share
 * ({@code validPct}, fastai's {@code valid_pct}) of the images validates;</li>
 * <li>{@code DIR/test/<class>/*}, if present, is a test set read once at the end.</li>
 * </ul>
 * Classes are the class folders' names, sorted; files are taken from each class folder itself
 * (not its subfolders) when their extension is an image format's ({@link ImageFiles#EXTENSIONS});
 * other files are ignored. Every image is read by {@link ImageFiles} (PNG, JPEG, GIF and BMP by
 * Java, the others by OpenCV), resized to size x size, scaled to [0, 1] by its own bit depth (so 8-bit
 * and 16-bit pictures mix) and normalised with the per-channel mean and standard
 * deviation of the training images (not the validation or test images). Unreadable or empty
 * files are skipped and named in one warning line, or with {@code strict} the first is an error.
 * The images are held in memory, as MNIST's are: 4 bytes per value.
 */
public final class ImageFolder implements ImageData {

    /** The seed of the random validation split: fixed, so runs of any seed are compared on the same images (as MNIST's). */
    public static final long SPLIT_SEED = Mnist.SPLIT_SEED;
    /** fastai's {@code valid_pct} default. */
    public static final double DEFAULT_VALID_PCT = 0.2;

    /**
     * How to read a folder.
     *
     * @param size     images are resized to size x size
     * @param channels 1 (grey) or 3 (colour)
     * @param validPct validation share when the folder has no {@code valid/}
     * @param strict   an unreadable image is an error rather than skipped
     */
    public record Options(int size, int channels, double validPct, boolean strict) {
    }

    /**
     * Images of one set.
     *
     * @param files  the files, in order
     * @param labels class indices
     * @param pixels normalised images, channels x size x size values each, [channel][y][x]
     */
    public record Images(List<Path> files, int[] labels, float[] pixels) {

        public int size() {
            return labels.length;
        }

        /** Image {@code i}'s normalised values. */
        public float[] image(int i) {
            int per = pixels.length / Math.max(1, labels.length);
            return Arrays.copyOfRange(pixels, i * per, (i + 1) * per);
        }
    }

    private final Path root;
    private final InputSpec input;
    private final Images train;
    private final Images valid;
    private final Images test;
    private final String layout;
    private final List<ImageFiles.Failure> skipped;
    private final String checksum;

    private ImageFolder(Path root, InputSpec input, Images train, Images valid, Images test, String layout,
                        List<ImageFiles.Failure> skipped, String checksum) {
        this.root = root;
        this.input = input;
        this.train = train;
        this.valid = valid;
        this.test = test;
        this.layout = layout;
        this.skipped = skipped;
        this.checksum = checksum;
    }

    /** Reads a folder for training (see the class comment); any problem with it is one {@link BadInputException} line. */
    public static ImageFolder load(Path root, Options o) {
        FolderListing l = FolderListing.list(root, o.validPct(), null);
        int per = o.channels() * o.size() * o.size();
        checkFits(root, l.trainFiles().size() + l.validFiles().size() + l.testFiles().size(), per);
        List<ImageFiles.Failure> skipped = new ArrayList<>();
        Read tr = read(l.trainFiles(), l.trainLabels(), o, skipped);
        Read va = read(l.validFiles(), l.validLabels(), o, skipped);
        Read te = read(l.testFiles(), l.testLabels(), o, skipped);
        if (tr.labels().length == 0) {
            throw BadInputException.inFile(root, "none of the " + l.trainFiles().size() + " training images could be read");
        }
        if (va.labels().length == 0) {
            throw BadInputException.inFile(root, "none of the " + l.validFiles().size() + " validation images could be read");
        }
        double[][] stats = statistics(tr.pixels(), o.channels(), o.size() * o.size());
        InputSpec input = new InputSpec(o.channels(), o.size(), l.classes(), stats[0], stats[1], InputSpec.FOLDER,
                l.validPct(), null);
        String sum = checksum(root, o, List.of(tr, va, te));
        return new ImageFolder(root, input, tr.normalised(input), va.normalised(input), te.normalised(input), l.layout(),
                List.copyOf(skipped), sum);
    }

    /**
     * The validation images of a folder as a model saw them: its size, channels and
     * normalisation, labels by its class names (a class the model does not know is an error).
     * The split of a folder without {@code valid/} is the training run's (its share, the fixed seed).
     */
    public static Validation validation(Path root, InputSpec model, boolean strict) {
        FolderListing l = FolderListing.list(root, model.validPct() != null ? model.validPct() : DEFAULT_VALID_PCT, model.classes());
        Options o = new Options(model.size(), model.channels(), 0.5, strict);
        checkFits(root, l.validFiles().size(), model.pixels());
        List<ImageFiles.Failure> skipped = new ArrayList<>();
        Read va = read(l.validFiles(), l.validLabels(), o, skipped);
        if (va.labels().length == 0) {
            throw BadInputException.inFile(root, "none of the " + l.validFiles().size() + " validation images could be read");
        }
        return new Validation(va.normalised(model), l.validSource(), List.copyOf(skipped));
    }

    /**
     * Validation images read for a model.
     *
     * @param images  normalised with the model's statistics, labelled with its class indices
     * @param source  where they came from (the valid/ folder, or the random share of which folder)
     * @param skipped files that could not be read
     */
    public record Validation(Images images, String source, List<ImageFiles.Failure> skipped) {
    }

    /** Images read, raw values in [0, 1] until {@link #normalised}. */
    private record Read(List<Path> files, int[] labels, float[] pixels) {

        Images normalised(InputSpec in) {
            return new Images(files, labels, in.normalise(pixels));
        }
    }

    private static Read read(List<Path> files, int[] labels, Options o, List<ImageFiles.Failure> skipped) {
        ImageFiles.Batch b = ImageFiles.read(files, o.size(), o.channels(), o.strict());
        skipped.addAll(b.skipped());
        List<Path> kept = new ArrayList<>(b.kept().length);
        int[] keptLabels = new int[b.kept().length];
        for (int i = 0; i < b.kept().length; i++) {
            kept.add(files.get(b.kept()[i]));
            keptLabels[i] = labels[b.kept()[i]];
        }
        return new Read(List.copyOf(kept), keptLabels, b.pixels());
    }

    private static void checkFits(Path root, long images, int per) {
        if (images * per > Integer.MAX_VALUE - 16) {
            throw BadInputException.inFile(root, images + " images of " + per + " values each are more than one Java array holds "
                    + "(2^31 values); use a smaller --size");
        }
    }

    /** Per-channel mean and (population) standard deviation of images [n][channel][plane]. */
    static double[][] statistics(float[] pixels, int channels, int plane) {
        double[] sum = new double[channels];
        double[] sq = new double[channels];
        int n = pixels.length / (channels * plane);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                double s = 0;
                double s2 = 0;
                for (int p = 0, at = (i * channels + c) * plane; p < plane; p++, at++) {
                    s += pixels[at];
                    s2 += pixels[at] * pixels[at];
                }
                sum[c] += s;
                sq[c] += s2;
            }
        }
        double[] mean = new double[channels];
        double[] std = new double[channels];
        long count = (long) n * plane;
        for (int c = 0; c < channels; c++) {
            mean[c] = sum[c] / count;
            // a constant channel (e.g. blank images) would divide by zero: 1 leaves it centred, unscaled
            double sd = Math.sqrt(Math.max(0, sq[c] / count - mean[c] * mean[c]));
            std[c] = sd > 1e-6 ? sd : 1;
        }
        return new double[][]{mean, std};
    }

    /** SHA-256 over the options, and every image's relative path, label and pixel levels. */
    private static String checksum(Path root, Options o, List<Read> sets) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((o.size() + "x" + o.channels()).getBytes(StandardCharsets.US_ASCII));
            for (Read r : sets) {
                md.update((byte) '|');
                int per = r.labels().length == 0 ? 0 : r.pixels().length / r.labels().length;
                byte[] levels = new byte[per];
                for (int i = 0; i < r.labels().length; i++) {
                    md.update(root.relativize(r.files().get(i)).toString().getBytes(StandardCharsets.UTF_8));
                    md.update((byte) 0);
                    md.update(Integer.toString(r.labels()[i]).getBytes(StandardCharsets.US_ASCII));
                    for (int k = 0; k < per; k++) {
                        levels[k] = (byte) Math.round(r.pixels()[i * per + k] * 255);
                    }
                    md.update(levels);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path root() {
        return root;
    }

    @Override
    public InputSpec input() {
        return input;
    }

    @Override
    public String checksum() {
        return checksum;
    }

    public Images train() {
        return train;
    }

    public Images valid() {
        return valid;
    }

    /** The test images (empty when the folder has no {@code test/}). */
    public Images test() {
        return test;
    }

    /** Where the training and validation images came from, in words. */
    public String layout() {
        return layout;
    }

    /** Files that could not be read and were skipped. */
    public List<ImageFiles.Failure> skipped() {
        return skipped;
    }

    @Override
    public int testSize() {
        return test.size();
    }

    @Override
    public DataLoaders loaders(int batchSize, long seed, int subset, int shift, Integer validSize) {
        if (validSize != null) {
            throw new IllegalArgumentException("an image folder's validation images are its valid/ folder or a --valid-pct "
                    + "share, not --valid-size");
        }
        int[] rows = IntStream.range(0, train.size()).toArray();
        if (subset > 0 && subset < rows.length) {
            // the folder is in class order: a seeded random subset, not the first classes
            Splits.shuffle(rows, new Random(SPLIT_SEED));
            rows = Arrays.copyOf(rows, subset);
            Arrays.sort(rows);
        }
        ArrayDataLoader trainLoader = loader(train, rows, batchSize).shuffle(seed).build();
        if (shift > 0) {
            float[] background = new float[input.channels()];
            for (int c = 0; c < background.length; c++) {
                background[c] = (float) (-input.means()[c] / input.stds()[c]);   // a black pixel, normalised
            }
            trainLoader.setPreProcessor(new RandomShift(shift, background, seed));
        }
        ArrayDataLoader validLoader = loader(valid, IntStream.range(0, valid.size()).toArray(), evalBatch(batchSize)).build();
        return new DataLoaders(trainLoader, validLoader);
    }

    @Override
    public ArrayDataLoader testLoader(int batchSize) {
        if (test.size() == 0) {
            throw new IllegalStateException(root + " has no test images");
        }
        return loader(test, IntStream.range(0, test.size()).toArray(), evalBatch(batchSize)).build();
    }

    /** Validation and test batches: at least 1,000 images as MNIST's, but at most ~16 MB of pixels unless the batch size asks more. */
    private int evalBatch(int batchSize) {
        return Math.max(batchSize, Math.min(1000, (1 << 22) / input.pixels()));
    }

    private ArrayDataLoader.Builder loader(Images set, int[] rows, int batchSize) {
        int per = input.pixels();
        int k = input.classCount();
        float[] x = new float[rows.length * per];
        float[] y = new float[rows.length * k];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(set.pixels(), rows[i] * per, x, i * per, per);
            y[i * k + set.labels()[rows[i]]] = 1;
        }
        return ArrayDataLoader.builder().input(x, input.channels(), input.size(), input.size()).label(y, k).batchSize(batchSize);
    }

    @Override
    public String describe(long trainImages, long validImages, boolean validFromTest, double readSeconds) {
        InputSpec in = input();
        return String.format(Locale.ROOT, "images: %d training and %d validation images (%s), %s; %s; read as %dx%d, %d channel%s "
                        + "in %.1f s (training pixels' mean %s, std %s)", trainImages, validImages, layout(),
                testSize() > 0 ? testSize() + " test images kept for the end" : "no test images",
                in.classCount() + " classes " + (in.classCount() <= 10 ? in.classes() : in.classes().subList(0, 10) + "..."),
                in.size(), in.size(), in.channels(), in.channels() == 1 ? "" : "s", readSeconds, round(in.means()),
                round(in.stds()));
    }

    private static String round(double[] v) {
        return Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.4f", x))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String inputNote() {
        return ", input " + input().describe();
    }

    @Override
    public Map<String, Object> facts() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("classes", input().classes());
        m.put("skipped_images", skipped().size());
        return m;
    }
}
