package io.github.fastdl4j.vision.data;

import io.github.fastdl4j.common.data.ArrayDataLoader;
import io.github.fastdl4j.common.data.DataException;
import io.github.fastdl4j.common.data.DataLoaders;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.data.Splits;
import io.github.fastdl4j.vision.model.InputSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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

    /** Files and labels of the sets, before any image is read. */
    private record Listing(List<String> classes, List<Path> trainFiles, int[] trainLabels, List<Path> validFiles,
                           int[] validLabels, List<Path> testFiles, int[] testLabels, String layout, String validSource,
                           Double validPct) {
    }

    /** Reads a folder for training (see the class comment); any problem with it is one {@link DataException} line. */
    public static ImageFolder load(Path root, Options o) {
        Listing l = list(root, o.validPct(), null);
        int per = o.channels() * o.size() * o.size();
        checkFits(root, l.trainFiles().size() + l.validFiles().size() + l.testFiles().size(), per);
        List<ImageFiles.Failure> skipped = new ArrayList<>();
        Read tr = read(l.trainFiles(), l.trainLabels(), o, skipped);
        Read va = read(l.validFiles(), l.validLabels(), o, skipped);
        Read te = read(l.testFiles(), l.testLabels(), o, skipped);
        if (tr.labels().length == 0) {
            throw DataException.inFile(root, "none of the " + l.trainFiles().size() + " training images could be read");
        }
        if (va.labels().length == 0) {
            throw DataException.inFile(root, "none of the " + l.validFiles().size() + " validation images could be read");
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
        Listing l = list(root, model.validPct() != null ? model.validPct() : DEFAULT_VALID_PCT, model.classes());
        Options o = new Options(model.size(), model.channels(), 0.5, strict);
        checkFits(root, l.validFiles().size(), model.pixels());
        List<ImageFiles.Failure> skipped = new ArrayList<>();
        Read va = read(l.validFiles(), l.validLabels(), o, skipped);
        if (va.labels().length == 0) {
            throw DataException.inFile(root, "none of the " + l.validFiles().size() + " validation images could be read");
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
            throw DataException.inFile(root, images + " images of " + per + " values each are more than one Java array holds "
                    + "(2^31 values); use a smaller --size");
        }
    }

    /**
     * Finds the layout, classes and files. {@code modelClasses}: read for a trained model (its
     * class names give the labels), else the folder's class folders do.
     */
    private static Listing list(Path root, double validPct, List<String> modelClasses) {
        if (!Files.exists(root)) {
            throw DataException.inFile(root, "image folder not found");
        }
        if (!Files.isDirectory(root)) {
            throw DataException.inFile(root, "not a folder (expected a folder of class folders of images)");
        }
        Path trainDir = root.resolve("train");
        Path validDir = root.resolve("valid");
        Path testDir = root.resolve("test");
        boolean twoLevel = Files.isDirectory(trainDir);
        if (!twoLevel && Files.isDirectory(validDir)) {
            throw DataException.inFile(root, "has valid/ but no train/ (fastai's layout: train/<class>/ and valid/<class>/)");
        }
        Path classRoot = twoLevel ? trainDir : root;
        Map<String, List<Path>> found = classFolders(classRoot, twoLevel ? List.of() : List.of("test"));
        if (found.isEmpty()) {
            throw DataException.inFile(classRoot, "no class folders with images (expected " + (twoLevel ? "train/" : "")
                    + "<class>/<image>.png or .jpg, one folder per class" + (twoLevel ? "" : ", or train/<class>/ and valid/<class>/")
                    + ")");
        }
        List<String> classes;
        if (modelClasses == null) {
            classes = List.copyOf(found.keySet());
            if (classes.size() < 2) {
                throw DataException.inFile(classRoot, "only one class folder with images (" + classes.get(0)
                        + "); a classifier needs at least two");
            }
        } else {
            classes = modelClasses;
        }
        List<Path> files = new ArrayList<>();
        int[] labels = labelled(classRoot, found, classes, files);
        List<Path> validFiles;
        int[] validLabels;
        List<Path> trainFiles;
        int[] trainLabels;
        String layout;
        String validSource;
        Double pct = null;
        if (twoLevel && Files.isDirectory(validDir)) {
            trainFiles = files;
            trainLabels = labels;
            validFiles = new ArrayList<>();
            validLabels = labelled(validDir, classFolders(validDir, List.of()), classes, validFiles);
            if (validFiles.isEmpty()) {
                throw DataException.inFile(validDir, "no class folders with images (expected valid/<class>/<image>.png or .jpg)");
            }
            layout = root.resolve("train") + " and " + validDir;
            validSource = validDir.toString();
        } else {
            int n = files.size();
            int nValid = (int) Math.round(n * validPct);
            if (nValid < 1 || nValid >= n) {
                throw DataException.inFile(classRoot, n + " images are too few to split off a validation share of " + validPct
                        + " (--valid-pct)");
            }
            Split split = Splits.random(n, validPct, SPLIT_SEED);
            trainFiles = pick(files, split.train());
            trainLabels = pick(labels, split.train());
            validFiles = pick(files, split.valid());
            validLabels = pick(labels, split.valid());
            pct = validPct;
            layout = String.format(Locale.ROOT, "%s, a random %.0f%% (seed %d) validating", classRoot, 100 * validPct, SPLIT_SEED);
            validSource = String.format(Locale.ROOT, "a random %.0f%% (seed %d) of %s", 100 * validPct, SPLIT_SEED, classRoot);
        }
        List<Path> testFiles = new ArrayList<>();
        int[] testLabels = new int[0];
        if (Files.isDirectory(testDir)) {
            testLabels = labelled(testDir, classFolders(testDir, List.of()), classes, testFiles);
        }
        return new Listing(classes, List.copyOf(trainFiles), trainLabels, List.copyOf(validFiles), validLabels,
                List.copyOf(testFiles), testLabels, layout, validSource, pct);
    }

    /** Files of every class folder, in class order then name order; a folder of an unknown class is an error. */
    private static int[] labelled(Path dir, Map<String, List<Path>> found, List<String> classes, List<Path> files) {
        List<Integer> labels = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : found.entrySet()) {
            int label = classes.indexOf(e.getKey());
            if (label < 0) {
                throw DataException.inFile(dir.resolve(e.getKey()), "class '" + e.getKey() + "' is not one of the "
                        + classes.size() + " classes " + preview(classes));
            }
            for (Path f : e.getValue()) {
                files.add(f);
                labels.add(label);
            }
        }
        return labels.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String preview(List<String> classes) {
        return classes.size() <= 10 ? classes.toString() : classes.subList(0, 10) + "...";
    }

    /** Sub-folders of {@code dir} holding at least one image file, by sorted name, with their sorted image files. */
    private static Map<String, List<Path>> classFolders(Path dir, List<String> skip) {
        Map<String, List<Path>> out = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || skip.contains(name) || !Files.isDirectory(p)) {
                    continue;
                }
                List<Path> images = new ArrayList<>();
                try (DirectoryStream<Path> files = Files.newDirectoryStream(p)) {
                    for (Path f : files) {
                        if (ImageFiles.isImage(f) && Files.isRegularFile(f)) {
                            images.add(f);
                        }
                    }
                }
                if (!images.isEmpty()) {
                    images.sort(null);
                    out.put(name, images);
                }
            }
        } catch (IOException e) {
            throw DataException.inFile(dir, "cannot list the folder (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        return out;
    }

    private static List<Path> pick(List<Path> files, int[] rows) {
        List<Path> out = new ArrayList<>(rows.length);
        for (int r : rows) {
            out.add(files.get(r));
        }
        return out;
    }

    private static int[] pick(int[] labels, int[] rows) {
        return Arrays.stream(rows).map(r -> labels[r]).toArray();
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
            Splits.shuffle(rows, new java.util.Random(SPLIT_SEED));
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
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String inputNote() {
        return ", input " + input().describe();
    }

    @Override
    public Map<String, Object> facts() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("classes", input().classes());
        m.put("skipped_images", skipped().size());
        return m;
    }
}
