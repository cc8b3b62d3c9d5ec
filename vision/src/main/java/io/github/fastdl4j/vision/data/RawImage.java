package io.github.fastdl4j.vision.data;

import io.github.fastdl4j.common.data.BadInputException;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

/**
 * A picture's stored sample values as OpenCV's {@code imdecode(ANYDEPTH | ANYCOLOR)} gives them,
 * decoded by Java: grey stays one channel, anything with colour (palette, RGB, grey with alpha
 * too, as libpng expands it) becomes three in blue, green, red order, alpha is dropped (not
 * blended), sub-byte grey levels are stretched to 0..255 as libpng does, and 16-bit samples are
 * kept (0..65535). No colour management: the values are the file's.
 *
 * @param width    pixels across
 * @param height   pixels down
 * @param channels 1 (grey) or 3 (blue, green, red)
 * @param max      the largest sample value: 255, or 65535 for a 16-bit picture
 * @param values   [y][x][channel], height * width * channels values in 0..max
 */
record RawImage(int width, int height, int channels, int max, int[] values) {

    /**
     * Decodes {@code bytes} of a format Java reads ({@link ImageFormat.Decoder#JAVA}), checking the
     * size in the header first (a few bytes can declare a gigapixel picture). Any failure is a
     * {@link BadInputException} naming {@code name}; null for a JPEG of a kind Java does not read
     * (CMYK, arithmetic-coded, 12-bit: its reader says "Unsupported ..."), which OpenCV may.
     */
    static RawImage decode(String name, byte[] bytes, ImageFormat format) {
        BufferedImage img;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReaderSpi spi = READERS.computeIfAbsent(format, RawImage::reader).orElse(null);
            if (spi == null) {
                throw ImageFiles.error(name, "cannot decode the " + format.label + " image (no reader for it)");
            }
            ImageReader reader = spi.createReaderInstance();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > DigitImage.MAX_PIXELS) {
                    throw ImageFiles.error(name, "image of " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels is too large (at most " + DigitImage.MAX_PIXELS + " pixels)");
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (format == ImageFormat.JPEG && String.valueOf(e.getMessage()).startsWith("Unsupported")) {
                return null;
            }
            throw ImageFiles.error(name, "cannot decode the " + format.label + " image (damaged or truncated): "
                    + firstLine(e));
        }
        if (img == null || img.getWidth() < 1 || img.getHeight() < 1) {
            throw ImageFiles.error(name, "the image is empty");
        }
        // a PNG's colour type 0 is grey (also at 1, 2 or 4 bits, which Java reads through a palette)
        boolean pngGrey = format == ImageFormat.PNG && bytes.length > 25 && bytes[25] == 0;
        if (format == ImageFormat.JPEG && !(img.getColorModel() instanceof IndexColorModel)
                && img.getColorModel().getNumColorComponents() != 1 && img.getColorModel().getNumColorComponents() != 3) {
            return null;   // e.g. CMYK read as four components: OpenCV converts it
        }
        return of(name, img, pngGrey);
    }

    /** Each format's reader: looked up once (ImageIO's lookup asks every installed reader, ~0.1 ms a file). */
    private static final Map<ImageFormat, Optional<ImageReaderSpi>> READERS =
            new ConcurrentHashMap<>();

    private static Optional<ImageReaderSpi> reader(ImageFormat format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name().toLowerCase(Locale.ROOT));
        return readers.hasNext() ? Optional.ofNullable(readers.next().getOriginatingProvider())
                : Optional.empty();
    }

    /** The samples of a decoded picture ({@code grey}: a palette image that is grey levels, as a low-bit grey PNG). */
    static RawImage of(String name, BufferedImage img, boolean grey) {
        int w = img.getWidth();
        int h = img.getHeight();
        int n = w * h;
        Raster r = img.getRaster();
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            int[] index = r.getSamples(0, 0, w, h, 0, new int[n]);
            int[] v = new int[n * (grey ? 1 : 3)];
            for (int i = 0; i < n; i++) {
                int k = index[i];
                if (grey) {
                    v[i] = icm.getRed(k);    // the grey ramp: level * 255 / (2^bits - 1), as libpng stretches it
                } else {
                    v[3 * i] = icm.getBlue(k);
                    v[3 * i + 1] = icm.getGreen(k);
                    v[3 * i + 2] = icm.getRed(k);
                }
            }
            return new RawImage(w, h, grey ? 1 : 3, 255, v);
        }
        int colours = cm.getNumColorComponents();
        if (colours != 1 && colours != 3) {
            throw ImageFiles.error(name, "images with " + colours + " colour components (e.g. CMYK) are not supported");
        }
        int widest = 0;
        for (int c = 0; c < colours; c++) {
            widest = Math.max(widest, cm.getComponentSize(c));
        }
        int max = widest > 8 ? 65535 : 255;
        int[] v = new int[n * colours];
        for (int c = 0; c < colours; c++) {
            // each component at its own size (a 16-bit BMP is 5, 6, 5 bits), stretched to 0..max
            int from = (1 << Math.min(cm.getComponentSize(c), 16)) - 1;
            int[] band = r.getSamples(0, 0, w, h, c, new int[n]);
            int to = colours == 1 ? 0 : 2 - c;   // OpenCV's order: blue, green, red
            for (int i = 0; i < n; i++) {
                int s = band[i];
                v[i * colours + to] = from == max ? s : (int) Math.round((double) s * max / from);
            }
        }
        return new RawImage(w, h, colours, max, v);
    }

    /**
     * A JPEG's EXIF orientation (1..8; 1, upright, when it has none or it cannot be read), which
     * OpenCV's {@code imdecode} applies: from the APP1 "Exif" segment's first directory, tag 0x0112.
     */
    static int exifOrientation(byte[] b) {
        try {
            int i = 2;
            while (i + 4 <= b.length && (b[i] & 0xff) == 0xff) {
                int marker = b[i + 1] & 0xff;
                if (marker == 0xda || marker == 0xd9) {
                    return 1;   // image data: no EXIF before it
                }
                int len = u16(b, i + 2, false);
                if (marker == 0xe1 && len >= 16 && i + 10 <= b.length
                        && new String(b, i + 4, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
                    int t = i + 10;
                    boolean little = b[t] == 'I' && b[t + 1] == 'I';
                    int ifd = t + (int) u32(b, t + 4, little);
                    int n = u16(b, ifd, little);
                    for (int k = 0; k < n; k++) {
                        int e = ifd + 2 + 12 * k;
                        if (u16(b, e, little) == 0x0112 && u16(b, e + 2, little) == 3) {
                            int v = u16(b, e + 8, little);
                            return v >= 1 && v <= 8 ? v : 1;
                        }
                    }
                    return 1;
                }
                i += 2 + len;
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            return 1;   // a damaged segment: no orientation
        }
        return 1;
    }

    private static int u16(byte[] b, int at, boolean little) {
        int x = b[at] & 0xff;
        int y = b[at + 1] & 0xff;
        return little ? y << 8 | x : x << 8 | y;
    }

    private static long u32(byte[] b, int at, boolean little) {
        long hi = u16(b, at + (little ? 2 : 0), little);
        long lo = u16(b, at + (little ? 0 : 2), little);
        return hi << 16 | lo;
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }
}
