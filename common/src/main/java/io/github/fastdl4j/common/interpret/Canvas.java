package io.github.fastdl4j.common.interpret;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A hand-drawn PNG (the pictures XChart does not draw: maps, image grids, the confusion matrix):
 * a white RGB picture with antialiased text, its heading in bold 14 at the top left, the pen then
 * black in the body font (plain 12). {@link #write} ends the drawing and writes the file atomically
 * through {@link Charts#writePng(Path, java.awt.image.RenderedImage)}.
 */
public final class Canvas {

    /** The heading's font. */
    public static final Font HEADING = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    /** Captions and labels. */
    public static final Font BODY = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    /** Where the heading starts: left margin and baseline. */
    public static final int HEADING_X = 16;
    public static final int HEADING_BASELINE = 24;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private final BufferedImage img;
    private final Graphics2D g;

    /** A white {@code width x height} picture with {@code heading} drawn; the pen is black, in {@link #BODY}. */
    public Canvas(int width, int height, String heading) {
        img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(HEADING);
        g.drawString(heading, HEADING_X, HEADING_BASELINE);
        g.setFont(BODY);
    }

    /** What to draw the body with. */
    public Graphics2D graphics() {
        return g;
    }

    /** The picture so far. */
    public BufferedImage image() {
        return img;
    }

    /** The metrics of {@code font}, to lay a picture out before drawing it. */
    public static FontMetrics metrics(Font font) {
        return new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics().getFontMetrics(font);
    }

    /** Ends the drawing and writes the PNG, atomically. */
    public void write(Path png) throws IOException {
        g.dispose();
        Charts.writePng(png, img);
    }
}
