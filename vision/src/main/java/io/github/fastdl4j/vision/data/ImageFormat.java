package io.github.fastdl4j.vision.data;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An image file's format, told by its first bytes (its "magic"), not by its name: a GIF saved as
 * {@code .png} is a GIF. {@link #decoder} says who reads it; formats nobody here reads are named
 * so that the error says what the file is instead of "damaged".
 */
enum ImageFormat {
    /** Decoded by Java (lossless, so the same pixels as libpng, which prints its errors to stderr; and 16-bit kept). */
    PNG("PNG", Decoder.JAVA),
    /** Decoded by Java (OpenCV has no GIF decoder); the first frame of an animation. */
    GIF("GIF", Decoder.JAVA),
    /**
     * Decoded by Java: the same pixels as OpenCV's libjpeg-turbo (both libjpeg's integer IDCT and
     * upsampling), which prints "Corrupt JPEG data: ..." on stderr; EXIF orientation applied as
     * OpenCV does. Kinds Java does not read (CMYK, arithmetic coding, 12-bit) go to OpenCV.
     */
    JPEG("JPEG", Decoder.JAVA),
    /** Decoded by Java: the same pixels, and OpenCV prints "imdecode_(''): can't read ..." on stderr for a damaged one. */
    BMP("BMP", Decoder.JAVA),
    WEBP("WebP", Decoder.OPENCV),
    TIFF("TIFF", Decoder.OPENCV),
    HEIF("HEIF/HEIC", Decoder.NONE),
    AVIF("AVIF", Decoder.NONE),
    JPEG_XL("JPEG XL", Decoder.NONE),
    PSD("Photoshop (PSD)", Decoder.NONE),
    ICO("Windows icon (ICO)", Decoder.NONE),
    PDF("PDF", Decoder.NONE),
    SVG("SVG (vector)", Decoder.NONE),
    /** Not recognised here: OpenCV tries (it knows PNM, EXR, JPEG 2000, Sun raster, Radiance HDR). */
    OTHER("unknown", Decoder.OPENCV);

    /** Who decodes a format. */
    enum Decoder { JAVA, OPENCV, NONE }

    final String label;
    final Decoder decoder;

    ImageFormat(String label, Decoder decoder) {
        this.label = label;
        this.decoder = decoder;
    }

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** The format of a file starting with {@code b}. */
    static ImageFormat of(byte[] b) {
        if (starts(b, 0, PNG_MAGIC)) {
            return PNG;
        }
        if (starts(b, 0, "GIF87a") || starts(b, 0, "GIF89a")) {
            return GIF;
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return JPEG;
        }
        if (starts(b, 0, "BM")) {
            return BMP;
        }
        if (starts(b, 0, "RIFF") && starts(b, 8, "WEBP")) {
            return WEBP;
        }
        if (starts(b, 0, "II*\0") || starts(b, 0, "MM\0*")) {
            return TIFF;
        }
        if (starts(b, 4, "ftyp")) {
            String brand = b.length >= 12 ? new String(b, 8, 4, StandardCharsets.ISO_8859_1) : "";
            if (brand.startsWith("avi")) {
                return AVIF;
            }
            if (brand.startsWith("hei") || brand.startsWith("hev") || brand.equals("mif1") || brand.equals("msf1")) {
                return HEIF;
            }
        }
        if (starts(b, 0, new byte[]{(byte) 0xff, 0x0a}) || starts(b, 4, "JXL ")) {
            return JPEG_XL;
        }
        if (starts(b, 0, "8BPS")) {
            return PSD;
        }
        if (starts(b, 0, new byte[]{0, 0, 1, 0})) {
            return ICO;
        }
        if (starts(b, 0, "%PDF")) {
            return PDF;
        }
        String head = new String(b, 0, Math.min(b.length, 256), StandardCharsets.ISO_8859_1).stripLeading();
        if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.contains("<svg"))) {
            return SVG;
        }
        return OTHER;
    }

    private static boolean starts(byte[] b, int at, String s) {
        return starts(b, at, s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean starts(byte[] b, int at, byte[] magic) {
        return b.length >= at + magic.length && Arrays.equals(b, at, at + magic.length, magic, 0, magic.length);
    }
}
