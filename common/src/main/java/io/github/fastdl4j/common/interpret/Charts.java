package io.github.fastdl4j.common.interpret;

import io.github.fastdl4j.common.interpret.LabelLayout.Box;
import io.github.fastdl4j.common.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.AnnotationText;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** PNG charts with XChart: labelled scatter, horizontal bars, lines. Files are written atomically. */
public final class Charts {

    static {
        // charts are drawn off-screen, also on machines without a display
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Charts() {
    }

    /** Point labels: small, dark, readable over the light plot. */
    private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final int MARKER = 6;

    /**
     * A scatter plot of a projection (e.g. a PCA) with a text label beside each point
     * ({@code labels} may hold nulls for unlabelled points, and lists the most important first).
     * Both axes have the same units per pixel, so a direction with little variance looks flat;
     * labels sit beside their dots, never on them, and never over each other: one that finds no
     * free spot is left out ({@link LabelLayout#place}).
     */
    public static void scatter(Path png, String title, String xLabel, String yLabel, double[] x, double[] y,
                               List<String> labels) throws IOException {
        scatterLayout(png, title, xLabel, yLabel, x, y, labels);
    }

    /** As {@link #scatter}, returning where everything went (for tests). */
    public static ScatterLayout scatterLayout(Path png, String title, String xLabel, String yLabel, double[] x, double[] y,
                                              List<String> labels) throws IOException {
        int width = 1400;
        int height = 1000;
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(MARKER);
        // ticks far enough apart for labels such as -0.026 (XChart's default puts them 45 px apart)
        chart.getStyler().setXAxisTickMarkSpacingHint(110);
        chart.getStyler().setYAxisTickMarkSpacingHint(60);
        chart.addSeries("points", x, y);
        double xMin = Arrays.stream(x).min().orElse(0);
        double xMax = Arrays.stream(x).max().orElse(1);
        double yMin = Arrays.stream(y).min().orElse(0);
        double yMax = Arrays.stream(y).max().orElse(1);
        // the plot's size in pixels depends on the tick labels, which depend on the ranges: settle in a few rounds
        double[] range = LabelLayout.equalScale(xMin, xMax, yMin, yMax, width, height, 0.03); // a first guess: never empty
        BufferedImage img = null;
        for (int round = 0; round < 3; round++) {
            chart.getStyler().setXAxisMin(range[0]);
            chart.getStyler().setXAxisMax(range[1]);
            chart.getStyler().setYAxisMin(range[2]);
            chart.getStyler().setYAxisMax(range[3]);
            img = paint(chart);
            Box content = content(chart, range);
            range = LabelLayout.equalScale(xMin, xMax, yMin, yMax, content.w(), content.h(), 0.03);
        }
        chart.getStyler().setXAxisMin(range[0]);
        chart.getStyler().setXAxisMax(range[1]);
        chart.getStyler().setYAxisMin(range[2]);
        chart.getStyler().setYAxisMax(range[3]);
        img = paint(chart);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(LABEL_FONT);
        FontMetrics fm = g.getFontMetrics();
        int n = x.length;
        double[] px = new double[n];
        double[] py = new double[n];
        double[] w = new double[n];
        double[] h = new double[n];
        for (int i = 0; i < n; i++) {
            px[i] = chart.getScreenXFromChart(x[i]);
            py[i] = chart.getScreenYFromChart(y[i]);
            String label = labels == null ? null : labels.get(i);
            w[i] = label == null ? Double.NaN : fm.stringWidth(label);
            h[i] = fm.getAscent() + fm.getDescent();
        }
        Box[] boxes = LabelLayout.place(px, py, w, h, MARKER / 2.0 + 1, plotArea(chart, range));
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(0x909090));
        g.setStroke(new BasicStroke(0.8f));
        for (int i = 0; i < n; i++) {
            double[] line = boxes[i] == null ? null : LabelLayout.leader(boxes[i], px[i], py[i], MARKER / 2.0 + 1);
            if (line != null) {
                g.draw(new Line2D.Double(line[0], line[1], line[2], line[3]));
            }
        }
        g.setColor(new Color(0x202020));
        for (int i = 0; i < n; i++) {
            if (boxes[i] != null) {
                g.drawString(labels.get(i), (float) boxes[i].x(), (float) (boxes[i].y() + fm.getAscent()));
            }
        }
        g.dispose();
        write(png, img);
        Box c = content(chart, range);
        return new ScatterLayout(range, (range[1] - range[0]) / c.w(), (range[3] - range[2]) / c.h(), px, py, boxes);
    }

    /**
     * Where a scatter chart put things, in pixels of its PNG.
     *
     * @param range     the axes: xMin, xMax, yMin, yMax
     * @param xPerPixel x units per pixel
     * @param yPerPixel y units per pixel (equal to {@code xPerPixel}, up to a pixel's rounding)
     * @param px        each point's x pixel
     * @param py        each point's y pixel
     * @param labels    each point's label box, null where there is no label or no room for it
     */
    public record ScatterLayout(double[] range, double xPerPixel, double yPerPixel, double[] px, double[] py, Box[] labels) {
    }

    /** The rectangle in pixels where the data range {@code range} (xMin, xMax, yMin, yMax) is drawn, after a paint. */
    private static Box content(XYChart chart, double[] range) {
        double left = chart.getScreenXFromChart(range[0]);
        double right = chart.getScreenXFromChart(range[1]);
        double top = chart.getScreenYFromChart(range[3]);
        double bottom = chart.getScreenYFromChart(range[2]);
        return new Box(left, top, right - left, bottom - top);
    }

    /** The whole plot area (XChart draws the data in the middle {@code plotContentSize} of it). */
    private static Box plotArea(XYChart chart, double[] range) {
        Box c = content(chart, range);
        double f = chart.getStyler().getPlotContentSize();
        double mx = c.w() * (1 / f - 1) / 2;
        double my = c.h() * (1 / f - 1) / 2;
        return new Box(c.x() - mx + 1, c.y() - my + 1, c.w() + 2 * mx - 2, c.h() + 2 * my - 2);
    }

    private static BufferedImage paint(XYChart chart) {
        BufferedImage img = new BufferedImage(chart.getWidth(), chart.getHeight(),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        chart.paint(g, chart.getWidth(), chart.getHeight());
        g.dispose();
        return img;
    }

    private static void write(Path png, BufferedImage img) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(img, "png", bytes);
        AtomicFiles.write(png, out -> out.write(bytes.toByteArray()));
    }

    /** Horizontal bars, one per label, listed top to bottom in the given order. */
    public static void hbar(Path png, String title, String valueLabel, List<String> labels, double[] values)
            throws IOException {
        int n = labels.size();
        double lo = 0;
        double hi = 0;
        for (double v : values) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double range = Math.max(hi - lo, 1e-9);
        // XChart has no horizontal bar chart: each bar is a thick line from 0 to its value at its
        // own height, and its label is drawn in a band left of the bars.
        XYChart chart = new XYChartBuilder().width(1300).height(Math.max(400, 80 + 24 * n)).title(title)
                .xAxisTitle(valueLabel).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisTicksVisible(false);
        chart.getStyler().setYAxisMin(-0.7);
        chart.getStyler().setYAxisMax(n - 0.3);
        chart.getStyler().setXAxisMin(lo - range);
        chart.getStyler().setXAxisMax(hi + 0.05 * range);
        chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        float width = Math.max(3f, Math.min(16f, 500f / n));
        for (int i = 0; i < n; i++) {
            double y = n - 1 - i;
            XYSeries s = chart.addSeries("bar" + i, new double[]{0, values[i]}, new double[]{y, y});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(SeriesLines.SOLID); // before the width: a line style brings its own stroke
            s.setLineWidth(width);
            s.setLineColor(values[i] < 0 ? new Color(0xC0392B) : new Color(0x2E86C1));
            chart.addAnnotation(new AnnotationText(labels.get(i), lo - 0.5 * range, y, false));
        }
        save(png, chart);
    }

    /** Line chart of several series over their own x values; {@code logX} for learning-rate curves. */
    public static void lines(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series,
                             boolean logX) throws IOException {
        lines(png, title, xLabel, yLabel, series, logX, false, false);
    }

    /**
     * Line chart with a choice of log axes; {@code markers} draws each point (for a few measured
     * points, e.g. a scaling curve, rather than a dense curve).
     */
    public static void lines(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series,
                             boolean logX, boolean logY, boolean markers) throws IOException {
        lines(png, title, xLabel, yLabel, series, markers ? series.keySet() : Set.of(), logX, logY);
    }

    /**
     * Line chart where the series named in {@code withMarkers} draw each point (e.g. the
     * validation loss once per epoch over the training loss of every batch).
     */
    public static void lines(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series,
                             Set<String> withMarkers, boolean logX, boolean logY) throws IOException {
        XYChart chart = new XYChartBuilder().width(1000).height(700).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(withMarkers.equals(series.keySet()) && !series.isEmpty()
                ? Styler.LegendPosition.InsideNW : Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisTickMarkSpacingHint(120);
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
            if (!withMarkers.contains(e.getKey())) {
                s.setMarker(SeriesMarkers.NONE);
            }
            s.setLineStyle(SeriesLines.SOLID);
        }
        boolean wholeX = !logX && !series.isEmpty()
                && series.values().stream().allMatch(v -> Arrays.stream(v[0]).allMatch(x -> x == Math.rint(x)));
        if (!wholeX) {
            save(png, chart);
            return;
        }
        // Whole-number x values (batches, epochs): XChart puts a tick on every n-th of equally spaced
        // values, from the first (1, 251, 501, ... labels that run together); the ticks are drawn here
        // instead, at round values far enough apart for their labels.
        double[] range = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[][] v : series.values()) {
            for (int i = 0; i < v[0].length; i++) {
                if (Double.isFinite(v[1][i]) && (!logY || v[1][i] > 0)) {
                    range[0] = Math.min(range[0], v[0][i]);
                    range[1] = Math.max(range[1], v[0][i]);
                    range[2] = Math.min(range[2], v[1][i]);
                    range[3] = Math.max(range[3], v[1][i]);
                }
            }
        }
        if (!(range[0] < range[1]) || !(range[2] <= range[3])) {
            save(png, chart);
            return;
        }
        if (range[2] == range[3]) {
            range[2] -= 0.5;
            range[3] += 0.5;
        }
        chart.getStyler().setXAxisTicksVisible(false);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        Font font = chart.getStyler().getAxisTickLabelsFont();
        FontMetrics fm = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB)
                .createGraphics().getFontMetrics(font);
        int tickLength = 4;
        // room below the plot for the labels drawn here, between it and the axis title
        chart.getStyler().setAxisTitlePadding(chart.getStyler().getAxisTitlePadding() + tickLength + fm.getHeight() + 2);
        chart.getStyler().setXAxisMin(range[0]);
        chart.getStyler().setXAxisMax(range[1]);
        chart.getStyler().setYAxisMin(range[2]);
        chart.getStyler().setYAxisMax(range[3]);
        BufferedImage img = paint(chart);
        Box area = plotArea(chart, range);
        Box content = content(chart, range);
        double labelWidth = fm.stringWidth(Long.toString((long) Math.max(Math.abs(range[0]), Math.abs(range[1]))) + "-");
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        double bottom = area.y() + area.h();
        for (double v : LabelLayout.ticks(range[0], range[1], content.w(), labelWidth, 40, 1)) {
            int sx = (int) Math.round(chart.getScreenXFromChart(v));
            g.setColor(chart.getStyler().getPlotGridLinesColor());
            g.setStroke(chart.getStyler().getPlotGridLinesStroke());
            g.drawLine(sx, (int) Math.round(area.y()), sx, (int) Math.round(bottom));
            g.setColor(chart.getStyler().getAxisTickMarksColor());
            g.setStroke(new BasicStroke(1f));
            g.drawLine(sx, (int) Math.round(bottom), sx, (int) Math.round(bottom) + tickLength);
            String label = Long.toString((long) v);
            g.setColor(chart.getStyler().getAxisTickLabelsColor());
            g.drawString(label, sx - fm.stringWidth(label) / 2f, (float) bottom + tickLength + 2 + fm.getAscent());
        }
        g.dispose();
        write(png, img);
    }

    /**
     * Encodes an image as PNG in memory, then writes the bytes to {@code out}. Not
     * {@code ImageIO.write(img, "png", out)}: that stages through a cache file whose closer, when
     * {@code out} fails (a full disk), is left registered and prints a NullPointerException at exit.
     */
    public static void writePng(RenderedImage img, OutputStream out) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(bytes)) {
            if (!ImageIO.write(img, "png", ios)) {
                throw new IOException("no PNG writer for this image");
            }
        }
        out.write(bytes.toByteArray());
    }

    /** Writes an image as a PNG file, atomically (see {@link #writePng(java.awt.image.RenderedImage, java.io.OutputStream)}). */
    public static void writePng(Path png, RenderedImage img) throws IOException {
        AtomicFiles.write(png, out -> writePng(img, out));
    }

    private static void save(Path png, Chart<?, ?> chart) throws IOException {
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, out -> out.write(bytes));
    }
}
