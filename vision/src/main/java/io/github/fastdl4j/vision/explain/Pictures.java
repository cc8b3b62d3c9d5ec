package io.github.fastdl4j.vision.explain;

import io.github.fastdl4j.common.interpret.Canvas;

import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A row of labelled grey-scale maps as one PNG (each map scaled to its own 0..255 range). */
public final class Pictures {

    private static final int SCALE = 6;

    private Pictures() {
    }

    /**
     * A titled map: values [h][w], shown black (lowest) to white (highest).
     *
     * @param title caption under the map
     * @param values the map
     */
    public record Map2d(String title, double[][] values) {
    }

    public static void row(Path png, String heading, List<Map2d> maps) throws IOException {
        grid(png, heading, maps, maps.size(), List.of());
    }

    /**
     * Maps in rows of {@code columns}, each with its caption; captions of the maps listed in
     * {@code flagged} are drawn in red (fastai's {@code show_results} marks wrong predictions so).
     */
    public static void grid(Path png, String heading, List<Map2d> maps, int columns, List<Integer> flagged)
            throws IOException {
        int cell = 28 * SCALE;
        int pad = 16;
        int cols = Math.max(1, Math.min(columns, maps.size()));
        int rows = (maps.size() + cols - 1) / cols;
        int width = Math.max(pad + cols * (cell + pad), 2 * pad + 8 * heading.length());
        int height = 40 + rows * (cell + 40);
        Canvas canvas = new Canvas(width, height, heading);
        Graphics2D g = canvas.graphics();
        for (int m = 0; m < maps.size(); m++) {
            double[][] v = maps.get(m).values();
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] r : v) {
                for (double x : r) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
            int x0 = pad + (m % cols) * (cell + pad);
            int y0 = 40 + (m / cols) * (cell + 40);
            int px = Math.max(1, cell / Math.max(v.length, v[0].length));
            for (int y = 0; y < v.length; y++) {
                for (int x = 0; x < v[0].length; x++) {
                    int grey = hi > lo ? (int) Math.round(255 * (v[y][x] - lo) / (hi - lo)) : 0;
                    g.setColor(new Color(grey, grey, grey));
                    g.fillRect(x0 + x * px, y0 + y * px, px, px);
                }
            }
            g.setColor(flagged.contains(m) ? new Color(0xC0392B) : Color.BLACK);
            g.drawString(maps.get(m).title(), x0, y0 + cell + 20);
        }
        canvas.write(png);
    }
}
