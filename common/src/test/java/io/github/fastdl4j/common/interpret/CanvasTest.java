package io.github.fastdl4j.common.interpret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanvasTest {

    @TempDir
    Path tmp;

    @Test
    void aWhitePictureWithItsHeadingAtTheTopLeftWrittenAsAPng() throws Exception {
        Canvas c = new Canvas(200, 80, "Heading");
        assertEquals(Canvas.BODY, c.graphics().getFont(), "the pen is left in the body font");
        assertEquals(Color.BLACK, c.graphics().getColor());
        c.graphics().fillRect(100, 50, 10, 10);
        Path png = tmp.resolve("c.png");
        c.write(png);
        BufferedImage read = ImageIO.read(png.toFile());
        assertEquals(200, read.getWidth());
        assertEquals(80, read.getHeight());
        int white = 0xFFFFFF;
        int headingInk = 0;
        for (int y = 0; y < read.getHeight(); y++) {
            for (int x = 0; x < read.getWidth(); x++) {
                int rgb = read.getRGB(x, y) & 0xFFFFFF;
                assertEquals(c.image().getRGB(x, y) & 0xFFFFFF, rgb, "the file holds the picture's pixels");
                boolean inHeading = x >= Canvas.HEADING_X && x < 100 && y >= 8 && y <= Canvas.HEADING_BASELINE + 4;
                boolean inBox = x >= 100 && x < 110 && y >= 50 && y < 60;
                if (inHeading && rgb != white) {
                    headingInk++;
                } else if (inBox) {
                    assertEquals(0, rgb);
                } else if (!inHeading) {
                    assertEquals(white, rgb, "background at " + x + "," + y);
                }
            }
        }
        assertTrue(headingInk > 50, "the heading is drawn: " + headingInk + " inked pixels");
        // antialiased: grey levels between black and white at the letters' edges
        boolean grey = false;
        for (int y = 8; y <= 28 && !grey; y++) {
            for (int x = 16; x < 100 && !grey; x++) {
                int b = read.getRGB(x, y) & 0xFF;
                grey = b > 0 && b < 255;
            }
        }
        assertTrue(grey, "text is antialiased");
    }
}
