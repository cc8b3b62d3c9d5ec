package io.github.fastdl4j.vision.interpret;

import io.github.fastdl4j.common.interpret.Canvas;
import io.github.fastdl4j.vision.explain.Pictures;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Captioned images in a grid, one PNG: fastai's {@code show_results} and {@code plot_top_losses}.
 * Small grey images (MNIST's digits) go through {@link Pictures#grid}, as the lesson's pictures
 * do; colour images, and images larger than its cells, are drawn here in their colours (DataVec
 * reads colour as blue, green, red: shown the right way round), scaled to the cell.
 */
public final class ImageGrid {

    private static final int CELL = 28 * 6;     // Pictures' cell
    private static final int PAD = 16;

    private ImageGrid() {
    }

    /**
     * One image with its caption.
     *
     * @param caption  text under the image
     * @param image    values in [0, 1], channels x size x size, [channel][y][x]
     * @param channels 1 or 3 (blue, green, red)
     * @param size     the image is size x size
     * @param flagged  caption in red (a wrong prediction)
     */
    public record Tile(String caption, float[] image, int channels, int size, boolean flagged) {
    }

    /** Writes the tiles in rows of {@code columns} under {@code heading}, atomically. */
    public static void write(Path png, String heading, List<Tile> tiles, int columns) throws IOException {
        boolean smallGrey = tiles.stream().allMatch(t -> t.channels() == 1 && t.size() <= CELL);
        if (smallGrey) {
            List<Pictures.Map2d> maps = new ArrayList<>();
            List<Integer> flagged = new ArrayList<>();
            for (int i = 0; i < tiles.size(); i++) {
                Tile t = tiles.get(i);
                double[][] v = new double[t.size()][t.size()];
                for (int y = 0; y < t.size(); y++) {
                    for (int x = 0; x < t.size(); x++) {
                        v[y][x] = t.image()[y * t.size() + x];
                    }
                }
                maps.add(new Pictures.Map2d(t.caption(), v));
                if (t.flagged()) {
                    flagged.add(i);
                }
            }
            Pictures.grid(png, heading, maps, columns, flagged);
            return;
        }
        int cols = Math.max(1, Math.min(columns, tiles.size()));
        int rows = (tiles.size() + cols - 1) / cols;
        int width = Math.max(PAD + cols * (CELL + PAD), 2 * PAD + 8 * heading.length());
        int height = 40 + rows * (CELL + 40);
        Canvas canvas = new Canvas(width, height, heading);
        Graphics2D g = canvas.graphics();
        for (int i = 0; i < tiles.size(); i++) {
            Tile t = tiles.get(i);
            int x0 = PAD + (i % cols) * (CELL + PAD);
            int y0 = 40 + (i / cols) * (CELL + 40);
            // pixels stay sharp when enlarged, smooth when shrunk
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, t.size() <= CELL
                    ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(toImage(t), x0, y0, CELL, CELL, null);
            g.setColor(t.flagged() ? new Color(0xC0392B) : Color.BLACK);
            List<String> lines = wrap(t.caption(), g.getFontMetrics());
            for (int l = 0; l < lines.size(); l++) {
                g.drawString(lines.get(l), x0, y0 + CELL + 16 + 14 * l);
            }
        }
        canvas.write(png);
    }

    /** A caption in at most two lines of a cell's width, broken after a '/' or space where it can be, cut with "..." if still too long. */
    static List<String> wrap(String caption, FontMetrics fm) {
        if (fm.stringWidth(caption) <= CELL) {
            return List.of(caption);
        }
        int cut = 0;
        for (int i = 1; i < caption.length(); i++) {
            char c = caption.charAt(i - 1);
            if ((c == '/' || c == ' ') && fm.stringWidth(caption.substring(0, i)) <= CELL) {
                cut = i;
            }
        }
        if (cut == 0) {
            cut = fit(caption, fm, 0);
        }
        String rest = caption.substring(cut);
        if (fm.stringWidth(rest) > CELL) {
            rest = rest.substring(0, fit(rest, fm, fm.stringWidth("..."))) + "...";
        }
        return List.of(caption.substring(0, cut), rest);
    }

    /** How many leading characters fit in a cell with {@code reserve} pixels left over. */
    private static int fit(String s, FontMetrics fm, int reserve) {
        int n = s.length();
        while (n > 1 && fm.stringWidth(s.substring(0, n)) + reserve > CELL) {
            n--;
        }
        return n;
    }

    /** The tile as an RGB picture: channels blue, green, red (DataVec's order), or grey. */
    public static BufferedImage toImage(Tile t) {
        int s = t.size();
        int plane = s * s;
        BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int p = y * s + x;
                int b = level(t.image()[p]);
                int gr = t.channels() == 3 ? level(t.image()[plane + p]) : b;
                int r = t.channels() == 3 ? level(t.image()[2 * plane + p]) : b;
                img.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        return img;
    }

    private static int level(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255)));
    }
}
