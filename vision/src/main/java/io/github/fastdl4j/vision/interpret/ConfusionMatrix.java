package io.github.fastdl4j.vision.interpret;

import io.github.fastdl4j.common.interpret.Canvas;
import io.github.fastdl4j.common.io.AtomicFiles;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * fastai's confusion matrix: {@code counts[actual][predicted]}, the number of images of each
 * actual class given each predicted class, with its most confused pairs and, as files, a CSV and
 * a picture (fastai's {@code plot_confusion_matrix}: blue cells, darker for more, counts written in).
 *
 * @param classes class names, in index order
 * @param counts  counts[actual][predicted]
 */
public record ConfusionMatrix(List<String> classes, long[][] counts) {

    /** Counts the pairs (actual[i], predicted[i]). */
    public static ConfusionMatrix of(List<String> classes, int[] actual, int[] predicted) {
        long[][] c = new long[classes.size()][classes.size()];
        for (int i = 0; i < actual.length; i++) {
            c[actual[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(List.copyOf(classes), c);
    }

    /** All images counted. */
    public long total() {
        long t = 0;
        for (long[] row : counts) {
            for (long v : row) {
                t += v;
            }
        }
        return t;
    }

    /** The diagonal's share. */
    public double accuracy() {
        long right = 0;
        for (int i = 0; i < counts.length; i++) {
            right += counts[i][i];
        }
        return total() == 0 ? 0 : (double) right / total();
    }

    /**
     * A pair of classes the model mixes up.
     *
     * @param actual    the true class
     * @param predicted what the model said
     * @param count     how many images
     */
    public record Confused(String actual, String predicted, long count) {
    }

    /** fastai's {@code most_confused(min_val)}: off-diagonal pairs with at least {@code minCount} images, most first. */
    public List<Confused> mostConfused(long minCount) {
        List<Confused> out = new ArrayList<>();
        for (int a = 0; a < counts.length; a++) {
            for (int p = 0; p < counts.length; p++) {
                if (a != p && counts[a][p] >= minCount && counts[a][p] > 0) {
                    out.add(new Confused(classes.get(a), classes.get(p), counts[a][p]));
                }
            }
        }
        out.sort(Comparator.comparingLong(Confused::count).reversed());   // stable: ties stay in class order
        return out;
    }

    /** {@code actual\predicted,<class>,...} then one row per actual class. */
    public void writeCsv(Path csv) throws IOException {
        AtomicFiles.writeText(csv, w -> {
            w.write("actual\\predicted");
            for (String c : classes) {
                w.write("," + csvField(c));
            }
            w.write("\n");
            for (int a = 0; a < counts.length; a++) {
                w.write(csvField(classes.get(a)));
                for (long v : counts[a]) {
                    w.write("," + v);
                }
                w.write("\n");
            }
        });
    }

    static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
                ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** The matrix as a picture: rows actual, columns predicted. */
    public void writePng(Path png, String title) throws IOException {
        int k = classes.size();
        int cell = Math.max(6, Math.min(48, 720 / k));
        boolean numbers = cell >= 24;
        boolean names = cell >= 10;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, Math.min(12, cell / 3)));
        FontMetrics fm = Canvas.metrics(font);
        int label = 0;
        if (names) {
            for (String c : classes) {
                label = Math.max(label, fm.stringWidth(shorten(c)));
            }
        }
        int left = 40 + label + 8;
        int top = 50;
        int width = Math.max(left + k * cell + 30, 60 + 8 * title.length());
        int height = top + k * cell + label + 50;
        Canvas canvas = new Canvas(width, height, title);
        Graphics2D g = canvas.graphics();
        long max = 1;
        for (long[] row : counts) {
            for (long v : row) {
                max = Math.max(max, v);
            }
        }
        g.setFont(font);
        for (int a = 0; a < k; a++) {
            for (int p = 0; p < k; p++) {
                double f = (double) counts[a][p] / max;
                // matplotlib's Blues, from near white to dark blue
                Color c = new Color(mix(247, 8, f), mix(251, 48, f), mix(255, 107, f));
                g.setColor(c);
                g.fillRect(left + p * cell, top + a * cell, cell, cell);
                if (numbers && counts[a][p] > 0) {
                    String s = Long.toString(counts[a][p]);
                    g.setColor(f > 0.5 ? Color.WHITE : Color.BLACK);
                    g.drawString(s, left + p * cell + (cell - fm.stringWidth(s)) / 2, top + a * cell + (cell + fm.getAscent()) / 2 - 2);
                }
            }
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawRect(left, top, k * cell, k * cell);
        g.setColor(Color.BLACK);
        if (names) {
            for (int i = 0; i < k; i++) {
                String s = shorten(classes.get(i));
                g.drawString(s, left - 6 - fm.stringWidth(s), top + i * cell + (cell + fm.getAscent()) / 2 - 2);
                AffineTransform saved = g.getTransform();
                g.translate(left + i * cell + (cell + fm.getAscent()) / 2 - 2, top + k * cell + 6);
                g.rotate(Math.PI / 2);
                g.drawString(s, 0, 0);
                g.setTransform(saved);
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString("predicted", left + k * cell / 2 - 25, top + k * cell + label + 36);
        AffineTransform saved = g.getTransform();
        g.translate(20, top + k * cell / 2 + 20);
        g.rotate(-Math.PI / 2);
        g.drawString("actual", 0, 0);
        g.setTransform(saved);
        canvas.write(png);
    }

    private static String shorten(String s) {
        return s.length() > 20 ? s.substring(0, 19) + "..." : s;
    }

    private static int mix(int from, int to, double f) {
        return (int) Math.round(from + (to - from) * f);
    }
}
