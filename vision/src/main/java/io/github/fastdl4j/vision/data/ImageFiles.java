package io.github.fastdl4j.vision.data;

import io.github.fastdl4j.common.data.DataException;
import org.datavec.image.loader.NativeImageLoader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Reads image files through DataVec's {@link NativeImageLoader} (OpenCV's decoders, Leptonica as
 * the fallback): any size, grey or colour, PNG, JPEG and the other formats OpenCV reads, each
 * stretched to size x size (OpenCV's bilinear resize, no crop), converted to the asked number of
 * channels (colour to grey by OpenCV's luminance weights; grey copied into all three; alpha
 * dropped; colour channels in OpenCV's blue, green, red order) and scaled from 0..255 to [0, 1].
 *
 * <p>DataVec's errors do not name the file ({@code IOException: Could not decode image from input
 * stream}); here every failure does. A picture's size is read from its header before it is
 * decoded, where Java's image readers know the format, so a few bytes declaring a gigapixel image
 * are refused before anything is allocated.
 */
public final class ImageFiles {

    /** The file extensions read (lower case): those DataVec's loader lists. */
    public static final Set<String> EXTENSIONS = Arrays.stream(NativeImageLoader.ALLOWED_FORMATS)
            .map(e -> e.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());

    /** Files named in a warning about skipped files. */
    static final int NAMED_IN_WARNING = 3;

    static {
        // Leptonica, the fallback decoder, prints "Error in pixReadMem: ..." for every file it
        // cannot read either; the failure is reported here, naming the file
        org.bytedeco.leptonica.global.lept.setMsgSeverity(org.bytedeco.leptonica.global.lept.L_SEVERITY_NONE);
    }

    private ImageFiles() {
    }

    /** Whether a file name has an image extension (hidden files, e.g. {@code .DS_Store}, never). */
    public static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * The images read, in order of the files asked for, without the ones that could not be read.
     *
     * @param pixels  kept images, each channels x size x size values in [0, 1], [channel][y][x]
     * @param kept    for each kept image, its index in the list of files
     * @param skipped the files that could not be read, with why
     */
    public record Batch(float[] pixels, int[] kept, List<Failure> skipped) {
    }

    /** A file that could not be read, and why (one line). */
    public record Failure(Path file, String reason) {

        /** The error with {@code --strict}: one line naming the file. */
        public DataException error() {
            return DataException.inFile(file, reason);
        }
    }

    /**
     * Reads {@code files} (on all cores, one loader per thread). An unreadable or empty file is
     * skipped and listed in {@link Batch#skipped}; with {@code strict} the first one (in list
     * order) is a {@link DataException} naming it.
     */
    public static Batch read(List<Path> files, int size, int channels, boolean strict) {
        int per = channels * size * size;
        AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(files.size());
        ThreadLocal<NativeImageLoader> loaders = ThreadLocal.withInitial(() -> new NativeImageLoader(size, size, channels));
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            try {
                results.set(i, decode(loaders.get(), files.get(i), per));
            } catch (DataException e) {
                results.set(i, new Failure(files.get(i), reasonOf(e, files.get(i))));
            }
        });
        List<Failure> skipped = new ArrayList<>();
        int good = 0;
        for (int i = 0; i < files.size(); i++) {
            if (results.get(i) instanceof Failure f) {
                if (strict) {
                    throw f.error();
                }
                skipped.add(f);
            } else {
                good++;
            }
        }
        float[] pixels = new float[Math.multiplyExact(good, per)];
        int[] kept = new int[good];
        for (int i = 0, k = 0; i < files.size(); i++) {
            if (results.get(i) instanceof float[] px) {
                System.arraycopy(px, 0, pixels, k * per, per);
                kept[k++] = i;
            }
        }
        return new Batch(pixels, kept, skipped);
    }

    /** One warning line for skipped files (null when none were): how many, the first few named. */
    public static String warning(List<Failure> skipped) {
        if (skipped.isEmpty()) {
            return null;
        }
        String named = skipped.stream().limit(NAMED_IN_WARNING).map(f -> f.file() + " (" + f.reason() + ")")
                .collect(Collectors.joining(", "));
        return "warning: skipped " + skipped.size() + " unreadable or empty image file" + (skipped.size() == 1 ? "" : "s")
                + ": " + named + (skipped.size() > NAMED_IN_WARNING ? ", ..." : "") + " (--strict makes this an error)";
    }

    /**
     * Reads one picture as the model reads its training images: size x size, {@code channels}
     * channels, values in [0, 1], [channel][y][x]. Any failure is a {@link DataException} naming the file.
     */
    public static float[] readOne(Path file, int size, int channels) {
        if (!Files.isRegularFile(file)) {
            throw DataException.notAFile(file, "image");
        }
        return decode(new NativeImageLoader(size, size, channels), file, channels * size * size);
    }

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    /** Width and height from a picture's header (null when Java's readers do not know the format). */
    public static int[] header(Path file) {
        // PNG, the common case, directly from its IHDR chunk: Java's readers cost ~0.2 ms a file
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(24);
            if (head.length == 24 && Arrays.equals(Arrays.copyOf(head, 16), PNG)) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(head, 16, 8);
                return new int[]{b.getInt(), b.getInt()};   // unsigned 31-bit values: negative is damaged, refused below
            }
        } catch (IOException e) {
            return null;
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return new int[]{reader.getWidth(0), reader.getHeight(0)};
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return null; // a damaged header: the decoder below says what is wrong
        }
    }

    private static float[] decode(NativeImageLoader loader, Path file, int per) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            throw DataException.inFile(file, "cannot read the image file (" + e.getClass().getSimpleName() + ")");
        }
        if (bytes == 0) {
            throw DataException.inFile(file, "empty file");
        }
        int[] wh = header(file);
        if (wh != null && (wh[0] < 0 || wh[1] < 0)) {
            throw DataException.inFile(file, "damaged image header (width " + wh[0] + ", height " + wh[1] + ")");
        }
        if (wh != null && (long) wh[0] * wh[1] > DigitImage.MAX_PIXELS) {
            throw DataException.inFile(file, "image of " + wh[0] + "x" + wh[1] + " pixels is too large (at most "
                    + DigitImage.MAX_PIXELS + " pixels)");
        }
        INDArray m;
        try {
            m = loader.asMatrix(file.toFile());
        } catch (IOException | RuntimeException e) {
            // DataVec's message names no file ("Could not decode image from input stream")
            throw DataException.inFile(file, "cannot decode the image (damaged, or not an image): " + firstLine(e));
        }
        if (m == null || m.length() != per) {
            throw DataException.inFile(file, "cannot decode the image (got " + (m == null ? "nothing" : Arrays.toString(m.shape()))
                    + ")");
        }
        float[] v = m.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < v.length; i++) {
            v[i] /= 255f;
        }
        return v;
    }

    private static String reasonOf(DataException e, Path file) {
        String m = e.getMessage();
        String prefix = file + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
