package io.github.fastdl4j.common.interpret;

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

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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

    /** A scatter plot with a text label beside each point ({@code labels} may hold nulls for unlabelled points). */
    public static void scatter(Path png, String title, String xLabel, String yLabel, double[] x, double[] y,
                               List<String> labels) throws IOException {
        XYChart chart = new XYChartBuilder().width(1400).height(1000).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(6);
        chart.addSeries("points", x, y);
        for (int i = 0; i < x.length; i++) {
            String label = labels == null ? null : labels.get(i);
            if (label != null) {
                chart.addAnnotation(new AnnotationText(label, x[i], y[i], false));
            }
        }
        save(png, chart);
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
        chart.getStyler().setAnnotationTextFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12));
        float width = Math.max(3f, Math.min(16f, 500f / n));
        for (int i = 0; i < n; i++) {
            double y = n - 1 - i;
            XYSeries s = chart.addSeries("bar" + i, new double[]{0, values[i]}, new double[]{y, y});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(SeriesLines.SOLID); // before the width: a line style brings its own stroke
            s.setLineWidth(width);
            s.setLineColor(values[i] < 0 ? new java.awt.Color(0xC0392B) : new java.awt.Color(0x2E86C1));
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
        lines(png, title, xLabel, yLabel, series, markers ? series.keySet() : java.util.Set.of(), logX, logY);
    }

    /**
     * Line chart where the series named in {@code withMarkers} draw each point (e.g. the
     * validation loss once per epoch over the training loss of every batch).
     */
    public static void lines(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series,
                             java.util.Set<String> withMarkers, boolean logX, boolean logY) throws IOException {
        XYChart chart = new XYChartBuilder().width(1000).height(700).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setLegendPosition(withMarkers.equals(series.keySet()) && !series.isEmpty()
                ? Styler.LegendPosition.InsideNW : Styler.LegendPosition.InsideNE);
        // whole-number x values (batches, epochs) without a thousands separator, and ticks far
        // enough apart that labels such as 1,425 1,710 1,995 do not run together
        chart.getStyler().setXAxisTickMarkSpacingHint(120);
        if (!logX && series.values().stream().allMatch(v -> java.util.Arrays.stream(v[0]).allMatch(x -> x == Math.rint(x)))) {
            chart.getStyler().setXAxisDecimalPattern("0");
        }
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
            if (!withMarkers.contains(e.getKey())) {
                s.setMarker(SeriesMarkers.NONE);
            }
            s.setLineStyle(SeriesLines.SOLID);
        }
        save(png, chart);
    }

    /**
     * Encodes an image as PNG in memory, then writes the bytes to {@code out}. Not
     * {@code ImageIO.write(img, "png", out)}: that stages through a cache file whose closer, when
     * {@code out} fails (a full disk), is left registered and prints a NullPointerException at exit.
     */
    public static void writePng(java.awt.image.RenderedImage img, java.io.OutputStream out) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream ios = new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
            if (!javax.imageio.ImageIO.write(img, "png", ios)) {
                throw new IOException("no PNG writer for this image");
            }
        }
        out.write(bytes.toByteArray());
    }

    /** Writes an image as a PNG file, atomically (see {@link #writePng(java.awt.image.RenderedImage, java.io.OutputStream)}). */
    public static void writePng(Path png, java.awt.image.RenderedImage img) throws IOException {
        AtomicFiles.write(png, out -> writePng(img, out));
    }

    private static void save(Path png, Chart<?, ?> chart) throws IOException {
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, out -> out.write(bytes));
    }
}
