package io.github.fastdl4j.vision.data;

import io.github.fastdl4j.common.data.BadInputException;

import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads a digit picture for prediction: grey levels 0..255 at 28 x 28, white digit on black as
 * in MNIST. Other sizes are scaled and a dark-on-light picture is inverted; each such change is
 * reported in {@link Pixels#notes()}.
 */
public final class DigitImage {

    private DigitImage() {
    }

    /**
     * The pixels and what was done to them.
     *
     * @param values 784 grey levels
     * @param notes  changes made (scaling, inversion)
     */
    public record Pixels(int[] values, List<String> notes) {
    }

    /** Pictures larger than this (in pixels) are refused before they are decoded. */
    static final long MAX_PIXELS = 50_000_000;

    public static Pixels read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw BadInputException.notAFile(file, "image");
        }
        return read(ImageFiles.bytesOf(file), file.toString());
    }

    /**
     * Reads a digit picture from its bytes, as {@link #read(Path)} reads a file (that reads the
     * file's bytes and comes here): the same size check before decoding and the same levels. Any
     * failure is a {@link BadInputException} of one line starting {@code name: } (a server passes a
     * word such as "image": the bytes have no file).
     */
    public static Pixels read(byte[] bytes, String name) {
        BufferedImage img = eightBit(name, decode(bytes, name));
        List<String> notes = new ArrayList<>();
        if (img.getWidth() != 28 || img.getHeight() != 28) {
            notes.add("scaled from " + img.getWidth() + "x" + img.getHeight() + " to 28x28");
            BufferedImage scaled = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = scaled.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, 28, 28, null);
            g.dispose();
            img = scaled;
        }
        int[] v = new int[28 * 28];
        long sum = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int grey;
                if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                    grey = img.getRaster().getSample(x, y, 0); // the stored level, no colour conversion
                } else {
                    int rgb = img.getRGB(x, y);
                    grey = (int) Math.round(0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff));
                }
                v[y * 28 + x] = grey;
                sum += grey;
            }
        }
        if (sum / (28.0 * 28) > 127) {
            notes.add("inverted (dark digit on light background; MNIST digits are light on dark)");
            for (int i = 0; i < v.length; i++) {
                v[i] = 255 - v[i];
            }
        }
        return new Pixels(v, notes);
    }

    /**
     * A 16-bit picture as 8-bit levels (value * 255 / 65535): Java would otherwise convert a 16-bit
     * grey picture's linear grey to sRGB, reading mid-grey 32768 as 188 instead of 128.
     */
    static BufferedImage eightBit(String name, BufferedImage img) {
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel || cm.getComponentSize(0) <= 8) {
            return img;
        }
        RawImage raw = RawImage.of(name, img, false);
        int w = raw.width();
        BufferedImage out = new BufferedImage(w, raw.height(), raw.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_INT_RGB);
        int[] v = raw.values();
        for (int i = 0; i < w * raw.height(); i++) {
            if (raw.channels() == 1) {
                out.getRaster().setSample(i % w, i / w, 0, level(v[i], raw.max()));
            } else {   // blue, green, red
                out.setRGB(i % w, i / w, level(v[3 * i + 2], raw.max()) << 16 | level(v[3 * i + 1], raw.max()) << 8
                        | level(v[3 * i], raw.max()));
            }
        }
        return out;
    }

    private static int level(int v, int max) {
        return (int) Math.round(v * 255.0 / max);
    }

    /**
     * Decodes a picture, checking its size from the header first (a few bytes can declare a
     * gigapixel image); whatever the decoder throws on a damaged file becomes one line.
     */
    /** PNG's signature. */
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /**
     * The readers for the bytes, as {@link ImageIO#getImageReaders} finds them, but a PNG straight to
     * the PNG reader: ImageIO asks every installed reader (a dozen here, with the TwelveMonkeys and
     * JAI plugins) whether it can decode the stream, each through a mark, a read and a reset, and
     * only the PNG reader says yes to PNG's signature; that was a tenth of the CPU of a digit served
     * over HTTP. The PNG reader still checks the bytes itself; when it declines, everyone is asked.
     */
    static Iterator<ImageReader> readers(byte[] bytes, ImageInputStream in)
            throws IOException {
        if (bytes.length >= PNG_SIGNATURE.length && Arrays.equals(bytes, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0,
                PNG_SIGNATURE.length)) {
            Iterator<ImageReader> png = ImageIO.getImageReadersByFormatName("png");
            if (png.hasNext()) {
                ImageReader r = png.next();
                if (r.getOriginatingProvider() != null && r.getOriginatingProvider().canDecodeInput(in)) {
                    return List.of(r).iterator();
                }
                r.dispose();
            }
        }
        return ImageIO.getImageReaders(in);
    }

    static BufferedImage decode(byte[] bytes, String name) {
        // from memory: ImageIO.createImageInputStream would cache an InputStream in a temporary file
        try (ImageInputStream in = new MemoryCacheImageInputStream(
                new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : readers(bytes, in);
            if (readers == null || !readers.hasNext()) {
                throw ImageFiles.error(name, "not an image format Java can read (use PNG or JPEG)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw ImageFiles.error(name, "image of " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels is too large (at most " + MAX_PIXELS + " pixels)");
                }
                BufferedImage img = reader.read(0);
                if (img == null || img.getWidth() < 1 || img.getHeight() < 1) {
                    throw ImageFiles.error(name, "the image is empty");
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw ImageFiles.error(name, "cannot read the image (damaged file?): " + firstLine(e));
        }
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** Writes 784 grey levels as a 28 x 28 PNG (used by tests and the explain pictures). */
    public static BufferedImage toImage(int[] pixels) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < pixels.length; i++) {
            int g = Math.max(0, Math.min(255, pixels[i]));
            img.getRaster().setSample(i % 28, i / 28, 0, g); // setRGB would apply a colour-space conversion
        }
        return img;
    }
}
