package io.github.fastdl4j.common.interpret;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A PNG that cannot be written (a full disk) is one error, and nothing more at exit. */
class PngWriteTest {

    @TempDir
    Path tmp;

    /** A stream like a file on a full disk: the bytes are taken, the flush to disk fails. */
    static final class FullDisk extends OutputStream {
        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }

        @Override
        public void flush() throws IOException {
            throw new IOException("No space left on device");
        }
    }

    /** Writes a PNG to a full disk, prints the error as the command line would, and exits. */
    public static void main(String[] args) {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        try {
            OutputStream out = new FullDisk();
            Charts.writePng(img, out);
            out.flush();
            System.out.println("written");
        } catch (IOException e) {
            System.err.println("error: " + e.getMessage());
        }
    }

    @Test
    void aFailedPngWriteLeavesNoStreamCloserTraceAtExit() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path log = tmp.resolve("log");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), PngWriteTest.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<String> lines = Files.readAllLines(log);
        assertEquals(List.of("error: No space left on device"), lines, String.join("\n", lines));
    }

    @Test
    void theBytesAreAPng() throws IOException {
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0xff0000);
        Path png = tmp.resolve("a.png");
        Charts.writePng(png, img);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(5, back.getWidth());
        assertEquals(0xff0000, back.getRGB(1, 1) & 0xffffff);
        assertFalse(Files.exists(tmp.resolve(".a.png.part")));
    }
}
