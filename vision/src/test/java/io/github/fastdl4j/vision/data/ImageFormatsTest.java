package io.github.fastdl4j.vision.data;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.vision.model.InputSpec;
import io.github.fastdl4j.vision.testing.ReadImages;
import io.github.fastdl4j.vision.testing.TestImages;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.datavec.image.loader.NativeImageLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import javax.imageio.ImageIO;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bit depths and file formats: every picture read at its own depth, GIF, BMP and WebP read, others named. */
class ImageFormatsTest {

    @TempDir
    Path tmp;

    /** A grey picture of one level, 8 bits (0..255) or 16 bits (0..65535). */
    static BufferedImage grey(int level, boolean sixteen) {
        BufferedImage img = new BufferedImage(8, 8, sixteen ? BufferedImage.TYPE_USHORT_GRAY : BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                img.getRaster().setSample(x, y, 0, level);
            }
        }
        return img;
    }

    /** A colour picture of one red, green, blue, 16 bits a channel. */
    static BufferedImage rgb16(int r, int g, int b) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(8, 8);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                raster.setPixel(x, y, new int[]{r, g, b});
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }

    static BufferedImage rgb8(int r, int g, int b) {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    private Path write(BufferedImage img, String format, String name) throws Exception {
        Path f = tmp.resolve(name);
        Files.createDirectories(f.getParent());
        assertTrue(ImageIO.write(img, format, f.toFile()), format);
        return f;
    }

    @Test
    void sixteenBitGreyIsScaledByItsOwnDepth() throws Exception {
        Path png = write(grey(32768, true), "png", "g16.png");
        assertEquals(16, Files.readAllBytes(png)[24], "a 16-bit PNG");
        float[] v = ImageFiles.readOne(png, 8, 1);
        for (float x : v) {
            assertEquals(32768 / 65535f, x, 1e-7);    // 128.5 before: scaled by 1/255
        }
    }

    @Test
    void sixteenBitColourReadsAsItsEightBitTwinInOpenCvsOrder() throws Exception {
        // 0.2, 0.4, 0.8 exactly at both depths: 65535 = 255 * 257
        Path wide = write(rgb16(13107, 26214, 52428), "png", "c16.png");
        Path narrow = write(rgb8(51, 102, 204), "png", "c8.png");
        float[] v16 = ImageFiles.readOne(wide, 8, 3);
        float[] v8 = ImageFiles.readOne(narrow, 8, 3);
        assertArrayEquals(v8, v16, 1e-7f);
        assertEquals(0.8f, v16[0], 1e-7, "blue first");
        assertEquals(0.4f, v16[64], 1e-7, "green");
        assertEquals(0.2f, v16[128], 1e-7, "red");
        // grey by the same weights, rounded at each picture's own depth
        double luminance = 0.299 * 0.2 + 0.587 * 0.4 + 0.114 * 0.8;
        assertEquals(luminance, ImageFiles.readOne(wide, 8, 1)[0], 1.0 / 65535);
        assertEquals(luminance, ImageFiles.readOne(narrow, 8, 1)[0], 0.5 / 255);
    }

    /** A folder of 8-bit and 16-bit pictures: each at its own depth, so the statistics and normalised values are exact. */
    @Test
    void aMixedEightAndSixteenBitFolderNormalisesExactly() throws Exception {
        Path root = tmp.resolve("mixed");
        for (String set : List.of("train", "valid")) {
            write(grey(51, false), "png", "mixed/" + set + "/dark/a8.png");          // 0.2
            write(grey(13107, true), "png", "mixed/" + set + "/dark/a16.png");      // 0.2
            write(grey(204, false), "png", "mixed/" + set + "/light/b8.png");       // 0.8
            write(grey(52428, true), "png", "mixed/" + set + "/light/b16.png");     // 0.8
        }
        ImageFolder f = ImageFolder.load(root, new ImageFolder.Options(8, 1, 0.2, true));
        InputSpec in = f.input();
        assertEquals(0.5, in.means()[0], 1e-6);
        assertEquals(0.3, in.stds()[0], 1e-6);
        assertEquals(List.of("a16.png", "a8.png", "b16.png", "b8.png"),
                f.train().files().stream().map(p -> p.getFileName().toString()).toList());
        float[] expected = {-1, -1, 1, 1};
        for (int i = 0; i < 4; i++) {
            for (float x : f.train().image(i)) {
                assertEquals(expected[i], x, 1e-5, f.train().files().get(i).toString());
            }
        }
    }

    @Test
    void gifBmpAndWebpReadAsTheirPngTwin() throws Exception {
        BufferedImage img = rgb8(200, 100, 50);
        float[] png = ImageFiles.readOne(write(img, "png", "c.png"), 8, 3);
        float[] gif = ImageFiles.readOne(write(img, "gif", "c.gif"), 8, 3);
        float[] bmp = ImageFiles.readOne(write(img, "bmp", "c.bmp"), 8, 3);
        Path webp = tmp.resolve("c.webp");
        try (Mat m = new Mat(8, 8, opencv_core.CV_8UC3, new Scalar(50, 100, 200, 0))) {   // blue, green, red
            opencv_imgcodecs.imwrite(webp.toString(), m);   // OpenCV's default: lossless
        }
        assertEquals("WEBP", new String(Files.readAllBytes(webp), 8, 4, StandardCharsets.US_ASCII));
        float[] wp = ImageFiles.readOne(webp, 8, 3);
        assertEquals(50 / 255f, png[0], 1e-7);
        assertArrayEquals(png, gif, 1e-7f, "GIF");
        assertArrayEquals(png, bmp, 1e-7f, "BMP");
        assertArrayEquals(png, wp, 1e-7f, "WebP");
        // the format is the bytes', not the name's
        Path disguised = tmp.resolve("really-a-gif.png");
        Files.copy(tmp.resolve("c.gif"), disguised);
        assertArrayEquals(png, ImageFiles.readOne(disguised, 8, 3), 1e-7f);
    }

    /** What OpenCV's imdecode (the reader before) gives, through the same DataVec loader and scaling. */
    private static float[] openCv(Path f, int size, int channels) throws Exception {
        try (Mat m = opencv_imgcodecs.imdecode(new Mat(Files.readAllBytes(f)),
                opencv_imgcodecs.IMREAD_ANYDEPTH | opencv_imgcodecs.IMREAD_ANYCOLOR)) {
            float[] v = new NativeImageLoader(size, size, channels).asMatrix(m)
                    .castTo(DataType.FLOAT).dup('c').data().asFloat();
            for (int i = 0; i < v.length; i++) {
                v[i] /= 255f;
            }
            return v;
        }
    }

    /** A JPEG with an APP1 EXIF segment whose first directory holds only the orientation tag. */
    static byte[] withOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, 0, 0, 0, 0};
        int len = 2 + 6 + tiff.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);   // SOI
        out.writeBytes(new byte[]{(byte) 0xff, (byte) 0xe1, (byte) (len >> 8), (byte) len});
        out.writeBytes("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /**
     * JPEGs are decoded by Java (OpenCV's libjpeg prints "Corrupt JPEG data: ..." on stderr): the
     * same pixels as OpenCV's, EXIF orientation included, grey and colour, at their size and resized.
     */
    @Test
    void jpegsReadAsOpenCvReadThemEvenTurnedByExif() throws Exception {
        Random rng = new Random(4);
        for (int t = 0; t < 6; t++) {
            boolean colour = t % 2 == 1;
            Path jpg = tmp.resolve("p" + t + ".jpg");
            ImageIO.write(TestImages.picture(t, 24 + t, 16, colour, rng), "jpg", jpg.toFile());
            byte[] plain = Files.readAllBytes(jpg);
            for (int orientation : new int[]{1, 3, 6, 8}) {
                Path f = tmp.resolve("p" + t + "-o" + orientation + ".jpg");
                Files.write(f, withOrientation(plain, orientation));
                assertEquals(orientation, RawImage.exifOrientation(Files.readAllBytes(f)));
                for (int channels : new int[]{1, 3}) {
                    assertArrayEquals(openCv(f, 16, channels), ImageFiles.readOne(f, 16, channels), 0f, f + " " + channels);
                }
            }
        }
        Path upright = tmp.resolve("p1-o1.jpg");
        Path turned = tmp.resolve("p1-o6.jpg");
        assertTrue(!Arrays.equals(ImageFiles.readOne(upright, 16, 3), ImageFiles.readOne(turned, 16, 3)), "turned by EXIF");
    }

    /** A damaged JPEG is refused in one line and a child JVM reading it writes nothing on stderr ("Corrupt JPEG data" before). */
    @Test
    void aCorruptJpegWritesNothingOnStderr() throws Exception {
        Path jpg = tmp.resolve("c.jpg");
        ImageIO.write(TestImages.picture(2, 64, 64, true, new Random(9)), "jpg",
                jpg.toFile());
        byte[] b = Files.readAllBytes(jpg);
        byte[] extra = Arrays.copyOf(b, b.length + 40);     // bytes before the end marker: "extraneous bytes"
        System.arraycopy(b, b.length - 2, extra, extra.length - 2, 2);
        Arrays.fill(extra, b.length - 2, extra.length - 2, (byte) 7);
        Path f = tmp.resolve("extraneous.jpg");
        Files.write(f, extra);
        ReadImages.Result r = ReadImages.inChild(tmp,
                List.of(f));
        assertEquals(List.of("read " + f), r.lines());
        assertEquals("", r.stderr());
    }

    /** A 16-bit BMP's channels are 5, 6 and 5 bits: each stretched from its own size. */
    @Test
    void aSixteenBitBmpStretchesEachChannelFromItsOwnBits() throws Exception {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_565_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                img.getRaster().setPixel(x, y, new int[]{31, 32, 0});   // full red, about half green, no blue
            }
        }
        Path bmp = write(img, "bmp", "565.bmp");
        float[] v = ImageFiles.readOne(bmp, 8, 3);
        assertEquals(0f, v[0], 1e-7, "blue");
        assertEquals(Math.round(32 * 255 / 63.0) / 255f, v[64], 1e-7, "green, 6 bits");
        assertEquals(1f, v[128], 1e-7, "red, 5 bits");
    }

    @Test
    void formatsNothingHereReadsAreNamed() throws Exception {
        byte[] heic = new byte[64];
        System.arraycopy("\0\0\0\u0018ftypheic".getBytes(StandardCharsets.ISO_8859_1), 0, heic, 0, 12);
        Path f = tmp.resolve("photo.jpg");
        Files.write(f, heic);
        BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.readOne(f, 8, 3));
        assertEquals(f + ": HEIF/HEIC images are not supported (convert to PNG or JPEG)", e.getMessage());
    }

    @Test
    void aTruncatedPngIsOneLineNamingTheFile() throws Exception {
        Path png = truncatedPng(tmp);
        BadInputException e = assertThrows(BadInputException.class, () -> ImageFiles.readOne(png, 8, 1));
        assertTrue(e.getMessage().startsWith(png + ": cannot decode the PNG image (damaged or truncated)"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    static Path truncatedPng(Path dir) throws Exception {
        Path png = dir.resolve("cut.png");
        ImageIO.write(TestImages.picture(1, 32, 32, true, new Random(3)), "png",
                png.toFile());
        byte[] b = Files.readAllBytes(png);
        Files.write(png, Arrays.copyOf(b, b.length / 2));
        return png;
    }

    /**
     * Native decoders write to the process's stderr, past {@code System.err}: a child JVM reads a
     * truncated PNG and everything it wrote on stderr is checked ("libpng error: ..." before).
     */
    @Test
    void readingATruncatedPngWritesNothingOnStderr() throws Exception {
        Path png = truncatedPng(tmp);
        ReadImages.Result r = ReadImages.inChild(tmp,
                List.of(png));
        assertEquals(1, r.lines().size(), r.lines().toString());
        assertTrue(r.lines().get(0).startsWith("refused: " + png + ": cannot decode the PNG image"), r.lines().get(0));
        assertEquals("", r.stderr());
    }

    @Test
    void aSixteenBitDigitIsReadAtItsDepthForPrediction() throws Exception {
        BufferedImage big = new BufferedImage(28, 28, BufferedImage.TYPE_USHORT_GRAY);
        big.getRaster().setSample(3, 3, 0, 32896);
        big.getRaster().setSample(4, 4, 0, 65535);
        Path digit = tmp.resolve("digit28.png");
        ImageIO.write(big, "png", digit.toFile());
        DigitImage.Pixels px = DigitImage.read(digit);
        assertEquals(List.of(), px.notes());
        assertEquals(128, px.values()[3 * 28 + 3], "32896 of 65535 is 128 of 255");   // 188 before: linear grey read as sRGB
        assertEquals(255, px.values()[4 * 28 + 4]);
        assertEquals(0, px.values()[0]);
    }

    /** Bytes without a file (a server's upload) read as the same bytes in a file, and fail with the same checks, naming the caller's word. */
    @Test
    void bytesReadAsTheirFileIsRead() throws Exception {
        BufferedImage img = rgb8(200, 100, 50);
        BufferedImage wide = new BufferedImage(12, 9, BufferedImage.TYPE_USHORT_GRAY);
        wide.getRaster().setSample(3, 3, 0, 32896);
        Path webp = tmp.resolve("b.webp");
        try (Mat m = new Mat(8, 8, opencv_core.CV_8UC3, new Scalar(50, 100, 200, 0))) {
            opencv_imgcodecs.imwrite(webp.toString(), m);
        }
        for (Path f : List.of(write(img, "png", "b.png"), write(img, "gif", "b.gif"), write(img, "bmp", "b.bmp"),
                write(img, "jpg", "b.jpg"), write(wide, "png", "w.png"), webp)) {
            byte[] bytes = Files.readAllBytes(f);
            for (int channels : new int[]{1, 3}) {
                float[] fromFile = ImageFiles.readOne(f, 8, channels);
                assertArrayEquals(fromFile, ImageFiles.readOne(bytes, "upload", 8, channels), 0f, f + " " + channels);
            }
            if (!f.equals(webp)) {
                DigitImage.Pixels px = DigitImage.read(f);
                DigitImage.Pixels mem = DigitImage.read(bytes, "upload");
                assertArrayEquals(px.values(), mem.values(), f.toString());
                assertEquals(px.notes(), mem.notes());
            }
        }
        byte[] cut = Files.readAllBytes(truncatedPng(tmp));
        assertTrue(assertThrows(BadInputException.class, () -> ImageFiles.readOne(cut, "upload", 8, 1)).getMessage()
                .startsWith("upload: cannot decode the PNG image (damaged or truncated)"));
        assertTrue(assertThrows(BadInputException.class, () -> DigitImage.read(cut, "upload")).getMessage()
                .startsWith("upload: cannot read the image (damaged file?)"));
        byte[] heic = new byte[64];
        System.arraycopy("\0\0\0\u0018ftypheic".getBytes(StandardCharsets.ISO_8859_1), 0, heic, 0, 12);
        assertEquals("upload: HEIF/HEIC images are not supported (convert to PNG or JPEG)",
                assertThrows(BadInputException.class, () -> ImageFiles.readOne(heic, "upload", 8, 3)).getMessage());
        assertEquals("upload: not an image format Java can read (use PNG or JPEG)",
                assertThrows(BadInputException.class, () -> DigitImage.read(heic, "upload")).getMessage());
        assertEquals("upload: empty file", assertThrows(BadInputException.class, () -> ImageFiles.readOne(new byte[0], "upload", 8, 3))
                .getMessage());
        // the size in the header is checked before anything is decoded
        byte[] giant = Files.readAllBytes(tmp.resolve("b.png"));
        ByteBuffer.wrap(giant, 16, 8).putInt(100_000).putInt(100_000);
        assertEquals("upload: image of 100000x100000 pixels is too large (at most 50000000 pixels)",
                assertThrows(BadInputException.class, () -> ImageFiles.readOne(giant, "upload", 8, 3)).getMessage());
        assertEquals("upload: image of 100000x100000 pixels is too large (at most 50000000 pixels)",
                assertThrows(BadInputException.class, () -> DigitImage.read(giant, "upload")).getMessage());
    }
}
