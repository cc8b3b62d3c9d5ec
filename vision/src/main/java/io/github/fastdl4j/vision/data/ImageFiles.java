package io.github.fastdl4j.vision.data;

import io.github.fastdl4j.common.data.BadInputException;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.image.loader.NativeImageLoader;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
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
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads image files: PNG, JPEG, GIF and BMP decoded by Java ({@link RawImage}, the same pixels
 * as OpenCV's decoders: they print "libpng error: ...", "Corrupt JPEG data: ..." on the
 * process's stderr, and OpenCV has no GIF decoder), WebP, TIFF and the other formats OpenCV knows
 * by OpenCV ({@code imdecode}, Leptonica as DataVec's fallback); the format is told by the file's
 * first bytes ({@link ImageFormat}), and formats nobody here reads (HEIC, AVIF, ...) are named as
 * unsupported. Then through DataVec's {@link NativeImageLoader}
 * alike: stretched to size x size (OpenCV's bilinear resize, no crop), converted to the asked
 * number of channels (colour to grey by OpenCV's luminance weights; grey copied into all three;
 * alpha dropped; colour channels in OpenCV's blue, green, red order) and scaled to [0, 1] by the
 * picture's own bit depth (0..255, or 0..65535 for a 16-bit picture).
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
        public BadInputException error() {
            return BadInputException.inFile(file, reason);
        }
    }

    /**
     * Reads {@code files} (on all cores, one loader per thread). An unreadable or empty file is
     * skipped and listed in {@link Batch#skipped}; with {@code strict} the first one (in list
     * order) is a {@link BadInputException} naming it.
     */
    public static Batch read(List<Path> files, int size, int channels, boolean strict) {
        int per = channels * size * size;
        AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(files.size());
        ThreadLocal<NativeImageLoader> loaders = ThreadLocal.withInitial(() -> new NativeImageLoader(size, size, channels));
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            try {
                results.set(i, decode(loaders.get(), files.get(i), per));
            } catch (BadInputException e) {
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
     * channels, values in [0, 1], [channel][y][x]. Any failure is a {@link BadInputException} naming the file.
     */
    public static float[] readOne(Path file, int size, int channels) {
        if (!Files.isRegularFile(file)) {
            throw BadInputException.notAFile(file, "image");
        }
        return decode(new NativeImageLoader(size, size, channels), file, channels * size * size);
    }

    /**
     * Reads one picture from its bytes, as {@link #readOne(Path, int, int)} reads a file (that reads
     * the file's bytes and comes here): the same checks before decoding (format by its first bytes,
     * size from the header) and the same pixels. Any failure is a {@link BadInputException} of one line
     * starting {@code name: } (a server passes a word such as "image": the bytes have no file).
     */
    public static float[] readOne(byte[] bytes, String name, int size, int channels) {
        return decode(new NativeImageLoader(size, size, channels), bytes, name, channels * size * size);
    }

    /** A failure reading the picture called {@code name} (a file's path, or the caller's word for bytes): one line. */
    static BadInputException error(String name, String what) {
        return new BadInputException(name + ": " + what);
    }

    /** A picture file's bytes; an unreadable file, or one too large to be an image, is a {@link BadInputException} naming it. */
    static byte[] bytesOf(Path file) {
        try {
            if (Files.size(file) > Integer.MAX_VALUE - 16) {
                throw BadInputException.inFile(file, "file of " + Files.size(file) + " bytes is too large for an image");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw BadInputException.inFile(file, "cannot read the image file (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    /** Width and height from a picture's header (null when Java's readers do not know the format). */
    public static int[] header(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(24);
            if (head.length == 24 && Arrays.equals(Arrays.copyOf(head, 16), PNG)) {
                return header(head);
            }
        } catch (IOException e) {
            return null;
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return header(in);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Width and height from the header of a picture's bytes (null when Java's readers do not know the format). */
    static int[] header(byte[] bytes) {
        // PNG, the common case, directly from its IHDR chunk: Java's readers cost ~0.2 ms a file
        if (bytes.length >= 24 && Arrays.equals(Arrays.copyOf(bytes, 16), PNG)) {
            ByteBuffer b = ByteBuffer.wrap(bytes, 16, 8);
            return new int[]{b.getInt(), b.getInt()};   // unsigned 31-bit values: negative is damaged, refused by the caller
        }
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            return header(in);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int[] header(ImageInputStream in) {
        Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
        if (readers == null || !readers.hasNext()) {
            return null;
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(in, true, true);
            return new int[]{reader.getWidth(0), reader.getHeight(0)};
        } catch (IOException | RuntimeException e) {
            return null; // a damaged header: the decoder says what is wrong
        } finally {
            reader.dispose();
        }
    }

    private static float[] decode(NativeImageLoader loader, Path file, int per) {
        return decode(loader, bytesOf(file), file.toString(), per);
    }

    private static float[] decode(NativeImageLoader loader, byte[] bytes, String name, int per) {
        if (bytes.length == 0) {
            throw error(name, "empty file");
        }
        ImageFormat format = ImageFormat.of(bytes);
        if (format.decoder == ImageFormat.Decoder.NONE) {
            throw error(name, format.label + " images are not supported (convert to PNG or JPEG)");
        }
        int[] wh = header(bytes);
        if (wh != null && (wh[0] < 0 || wh[1] < 0)) {
            throw error(name, "damaged image header (width " + wh[0] + ", height " + wh[1] + ")");
        }
        if (wh != null && (long) wh[0] * wh[1] > DigitImage.MAX_PIXELS) {
            throw error(name, "image of " + wh[0] + "x" + wh[1] + " pixels is too large (at most "
                    + DigitImage.MAX_PIXELS + " pixels)");
        }
        INDArray m;
        double max;
        RawImage raw = format.decoder == ImageFormat.Decoder.JAVA ? RawImage.decode(name, bytes, format) : null;
        if (raw != null) {
            max = raw.max();
            try (Mat mat = toMat(raw)) {
                if (format == ImageFormat.JPEG) {
                    orient(mat, RawImage.exifOrientation(bytes));
                }
                m = loader.asMatrix(mat);
            } catch (IOException | RuntimeException e) {
                throw error(name, "cannot convert the image: " + firstLine(e));
            }
        } else {
            try (Mat encoded = new Mat(bytes); Mat image = opencv_imgcodecs.imdecode(encoded,
                    opencv_imgcodecs.IMREAD_ANYDEPTH | opencv_imgcodecs.IMREAD_ANYCOLOR)) {
                if (image == null || image.empty()) {
                    // DataVec's fallback, Leptonica (silenced above), reads a few more; its levels are 8-bit
                    max = 255;
                    m = loader.asMatrix(new ByteArrayInputStream(bytes));
                } else {
                    max = switch (image.depth()) {
                        case opencv_core.CV_8U -> 255;
                        case opencv_core.CV_16U -> 65535;
                        case opencv_core.CV_32F, opencv_core.CV_64F -> 1;   // floating-point images hold 0..1
                        default -> throw error(name, "images of OpenCV depth " + image.depth()
                                + " (signed or 32-bit integer samples) are not supported");
                    };
                    m = loader.asMatrix(image);
                }
            } catch (BadInputException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                // DataVec's message names no file ("Could not decode image from input stream")
                throw error(name, "cannot decode the " + (format == ImageFormat.OTHER ? "" : format.label + " ")
                        + "image (damaged, or not an image): " + firstLine(e));
            }
        }
        if (m == null || m.length() != per) {
            throw error(name, "cannot decode the image (got " + (m == null ? "nothing" : Arrays.toString(m.shape()))
                    + ")");
        }
        float[] v = m.castTo(DataType.FLOAT).dup('c').data().asFloat();
        // by the picture's own bit depth: a 16-bit picture's 65535 is white as an 8-bit one's 255
        float scale = (float) max;
        for (int i = 0; i < v.length; i++) {
            v[i] /= scale;
        }
        return v;
    }

    /** Turns a picture upright by its EXIF orientation, as OpenCV's {@code imdecode} does (its ApplyExifOrientation). */
    private static void orient(Mat m, int orientation) {
        switch (orientation) {
            case 2 -> opencv_core.flip(m, m, 1);
            case 3 -> opencv_core.flip(m, m, -1);
            case 4 -> opencv_core.flip(m, m, 0);
            case 5 -> opencv_core.transpose(m, m);
            case 6 -> {
                opencv_core.transpose(m, m);
                opencv_core.flip(m, m, 1);
            }
            case 7 -> {
                opencv_core.transpose(m, m);
                opencv_core.flip(m, m, -1);
            }
            case 8 -> {
                opencv_core.transpose(m, m);
                opencv_core.flip(m, m, 0);
            }
            default -> {
                // 1: upright
            }
        }
    }

    /** The samples as an OpenCV picture of their depth (8 or 16 bits), as {@code imdecode} would give it. */
    private static Mat toMat(RawImage raw) {
        boolean wide = raw.max() > 255;
        Mat mat = new Mat(raw.height(), raw.width(), opencv_core.CV_MAKETYPE(wide ? opencv_core.CV_16U : opencv_core.CV_8U,
                raw.channels()));
        int[] v = raw.values();
        if (wide) {
            short[] s = new short[v.length];
            for (int i = 0; i < v.length; i++) {
                s[i] = (short) v[i];
            }
            ((ShortBuffer) mat.createBuffer()).put(s);
        } else {
            byte[] b = new byte[v.length];
            for (int i = 0; i < v.length; i++) {
                b[i] = (byte) v[i];
            }
            ((ByteBuffer) mat.createBuffer()).put(b);
        }
        return mat;
    }

    private static String reasonOf(BadInputException e, Path file) {
        String m = e.getMessage();
        String prefix = file + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
