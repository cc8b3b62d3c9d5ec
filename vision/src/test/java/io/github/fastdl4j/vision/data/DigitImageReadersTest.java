package io.github.fastdl4j.vision.data;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A PNG goes straight to the PNG reader; other formats still ask every installed reader. */
class DigitImageReadersTest {

    /** A reader that decodes nothing and counts how often ImageIO asks it. */
    static final class Counting extends ImageReaderSpi {
        final AtomicInteger asked = new AtomicInteger();

        Counting() {
            super("test", "1", new String[]{"counting"}, null, null, "Counting", STANDARD_INPUT_TYPE, null, false, null, null, null,
                    null, false, null, null, null, null);
        }

        @Override
        public boolean canDecodeInput(Object source) {
            asked.incrementAndGet();
            return false;
        }

        @Override
        public ImageReader createReaderInstance(Object extension) throws IOException {
            throw new IOException("never chosen");
        }

        @Override
        public String getDescription(Locale locale) {
            return "counts canDecodeInput calls";
        }
    }

    private static byte[] encoded(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), format);
        return out.toByteArray();
    }

    @Test
    void aPngIsReadByThePngReaderWithoutAskingTheOthers() throws IOException {
        BufferedImage digit = DigitImage.toImage(Mnist.sample().rawTestImage(0));
        byte[] png = encoded(digit, "png");
        byte[] bmp = encoded(digit, "bmp");
        int[] expected = DigitImage.read(png, "a").values();
        Counting spy = new Counting();
        IIORegistry registry = IIORegistry.getDefaultInstance();
        registry.registerServiceProvider(spy, ImageReaderSpi.class);
        try {
            for (Iterator<ImageReaderSpi> it = registry.getServiceProviders(ImageReaderSpi.class, true); it.hasNext(); ) {
                ImageReaderSpi other = it.next();
                if (other != spy) {
                    registry.setOrdering(ImageReaderSpi.class, spy, other); // asked first by ImageIO
                }
            }
            // before: ImageIO asked every reader (this one first) whether it could decode the PNG
            DigitImage.Pixels px = DigitImage.read(png, "a");
            assertEquals(0, spy.asked.get(), "the other readers are not asked about a PNG");
            assertArrayEquals(expected, px.values(), "the same levels as ImageIO's choice");
            assertArrayEquals(expected, DigitImage.read(bmp, "b").values(), "a BMP of the same digit");
            assertTrue(spy.asked.get() > 0, "another format still asks every reader");
            ImageInputStream probe = ImageIO.createImageInputStream(new ByteArrayInputStream(png));
            assertEquals(ImageIO.getImageReaders(probe).next().getClass(), DigitImage.readers(png, probe).next().getClass(),
                    "the reader ImageIO would choose");
        } finally {
            registry.deregisterServiceProvider(spy, ImageReaderSpi.class);
        }
    }
}
