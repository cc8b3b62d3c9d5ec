package io.github.fastdl4j.common.interpret;

import io.github.fastdl4j.common.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
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
        // XChart has no horizontal bar chart: each bar is a thick line from 0 to its value at its
        // own y position, and the y-axis ticks show the labels.
        XYChart chart = new XYChartBuilder().width(1200).height(Math.max(400, 60 + 26 * n)).title(title)
                .xAxisTitle(valueLabel).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(-0.5);
        chart.getStyler().setYAxisMax(n - 0.5);
        chart.getStyler().setYAxisTickMarkSpacingHint(14);
        float width = Math.max(4f, Math.min(18f, 600f / n));
        for (int i = 0; i < n; i++) {
            double y = n - 1 - i;
            XYSeries s = chart.addSeries("bar" + i, new double[]{0, values[i]}, new double[]{y, y});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineWidth(width);
            s.setLineColor(values[i] < 0 ? new java.awt.Color(0xC0392B) : new java.awt.Color(0x2E86C1));
        }
        chart.setCustomYAxisTickLabelsFormatter(y -> {
            long i = Math.round(n - 1 - y);
            return Math.abs(n - 1 - y - i) < 1e-9 && i >= 0 && i < n ? labels.get((int) i) : "";
        });
        save(png, chart);
    }

    /** Line chart of several series over their own x values; {@code logX} for learning-rate curves. */
    public static void lines(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series,
                             boolean logX) throws IOException {
        XYChart chart = new XYChartBuilder().width(1000).height(700).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
            s.setMarker(SeriesMarkers.NONE);
        }
        save(png, chart);
    }

    private static void save(Path png, Chart<?, ?> chart) throws IOException {
        byte[] bytes = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        AtomicFiles.write(png, out -> out.write(bytes));
    }
}
