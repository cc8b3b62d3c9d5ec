package io.github.fastdl4j.tabular.interpret;

import io.github.fastdl4j.common.data.CsvTable;
import io.github.fastdl4j.common.io.AtomicFiles;
import org.datavec.api.records.reader.impl.collection.CollectionRecordReader;
import org.datavec.api.transform.analysis.DataAnalysis;
import org.datavec.api.transform.analysis.columns.ColumnAnalysis;
import org.datavec.api.transform.analysis.columns.NumericalColumnAnalysis;
import org.datavec.api.transform.schema.Schema;
import org.datavec.api.writable.DoubleWritable;
import org.datavec.api.writable.LongWritable;
import org.datavec.api.writable.Writable;
import org.datavec.local.transforms.AnalyzeLocal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a table holds, column by column, before anything is trained (pandas' {@code describe()},
 * DataVec's analysis): the type read, how many values are missing, how many distinct ones, and for
 * numbers min / max / mean / std with a histogram (DataVec's {@link AnalyzeLocal}) and the exact
 * median (pandas' linear interpolation, {@link #quantile}); for
 * text the most common values. Printed as a table and written as an HTML page with the histograms
 * drawn in SVG (DataVec's own HTML report loads its scripts from the web; this page is self-contained).
 */
public final class TableDescription {

    /**
     * One column's numbers.
     *
     * @param buckets  histogram bucket edges (one more than the counts); empty for text
     * @param top      the most common values with their counts (text, and numbers with few values)
     */
    public record Column(String name, CsvTable.Type type, long rows, long missing, long distinct, Double min, Double max,
                         Double mean, Double std, Double median, double[] buckets, long[] counts,
                         List<Map.Entry<String, Long>> top) {
    }

    private final Path file;
    private final List<Column> columns;

    private TableDescription(Path file, List<Column> columns) {
        this.file = file;
        this.columns = columns;
    }

    public List<Column> columns() {
        return columns;
    }

    /** Describes every column of {@code t}, histograms in {@code buckets} buckets. */
    public static TableDescription of(CsvTable t, int buckets) {
        List<Column> out = new ArrayList<>();
        for (String name : t.names()) {
            out.add(describe(t, name, buckets));
        }
        return new TableDescription(t.file(), out);
    }

    private static Column describe(CsvTable t, String name, int buckets) {
        CsvTable.Type type = t.type(name);
        String[] keys = t.texts(name);
        Map<String, Long> counts = new HashMap<>();
        long missing = 0;
        for (String k : keys) {
            if (k == null) {
                missing++;
            } else {
                counts.merge(k, 1L, Long::sum);
            }
        }
        List<Map.Entry<String, Long>> top = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10).map(e -> Map.entry(e.getKey(), e.getValue())).toList();
        if (type == CsvTable.Type.TEXT || missing == keys.length) {
            return new Column(name, type, keys.length, missing, counts.size(), null, null, null, null, null, new double[0],
                    new long[0], top);
        }
        // DataVec's analysis of the present values (a missing number has no Writable its counters take)
        double[] v = t.numbers(name);
        List<List<Writable>> records = new ArrayList<>();
        for (double x : v) {
            if (!Double.isNaN(x)) {
                records.add(List.of(type == CsvTable.Type.INTEGER ? new LongWritable((long) x) : new DoubleWritable(x)));
            }
        }
        Schema.Builder sb = new Schema.Builder();
        if (type == CsvTable.Type.INTEGER) {
            sb.addColumnLong(name);
        } else {
            sb.addColumnDouble(name);
        }
        DataAnalysis analysis = AnalyzeLocal.analyze(sb.build(), new CollectionRecordReader(records), buckets);
        ColumnAnalysis ca = analysis.getColumnAnalysis(name);
        NumericalColumnAnalysis n = (NumericalColumnAnalysis) ca;
        // exact, not DataVec's t-digest estimate (45.1389 for a median of 45)
        double[] present = Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
        Double median = quantile(present, 0.5);
        return new Column(name, type, keys.length, missing, counts.size(), n.getMinDouble(), n.getMaxDouble(), n.getMean(),
                n.getSampleStdev(), median, n.getHistogramBuckets(), n.getHistogramBucketCounts(),
                counts.size() <= 20 ? top : List.of());
    }

    /**
     * The {@code q} quantile of sorted values as pandas' {@code Series.quantile} (and numpy's
     * default) computes it: linear interpolation between the two nearest ranks, at position
     * {@code (n - 1) q}; the median of 1, 2, 3, 4 is 2.5.
     */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = (sorted.length - 1) * q;
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    /** The table, one line per column, fastai-style on stdout. */
    public void print(PrintStream out) {
        int w = Math.max(6, Math.min(24, columns.stream().mapToInt(c -> c.name().length()).max().orElse(6)));
        out.printf(Locale.ROOT, "%-" + w + "s %-8s %9s %9s %12s %12s %12s %12s %12s  %s%n", "column", "type", "missing", "distinct",
                "min", "max", "mean", "std", "median", "most common");
        for (Column c : columns) {
            String common = c.top().isEmpty() ? "" : c.top().subList(0, Math.min(3, c.top().size())).stream()
                    .map(e -> clip(e.getKey(), 16) + " (" + e.getValue() + ")").reduce((a, b) -> a + ", " + b).orElse("");
            out.printf(Locale.ROOT, "%-" + w + "s %-8s %9d %9d %12s %12s %12s %12s %12s  %s%n", clip(c.name(), w),
                    c.type().name().toLowerCase(Locale.ROOT), c.missing(), c.distinct(), num(c.min()), num(c.max()), num(c.mean()),
                    num(c.std()), num(c.median()), common);
        }
    }

    private static String num(Double d) {
        if (d == null) {
            return "";
        }
        return Math.abs(d) >= 1e6 || (Math.abs(d) < 1e-3 && d != 0) ? String.format(Locale.ROOT, "%.4g", d)
                : String.format(Locale.ROOT, "%.4f", d).replaceAll("\\.?0+$", "");
    }

    private static String clip(String s, int width) {
        String flat = s.replaceAll("\\p{Cntrl}", " ");
        return flat.length() <= width ? flat : flat.substring(0, width - 1) + "~";
    }

    /** A self-contained HTML page: the table and, per column, a histogram (numbers) or its most common values (text). */
    public void writeHtml(Path html) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(esc(file.getFileName().toString()))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}td:first-child,th:first-child{text-align:left}"
                        + ".col{display:inline-block;vertical-align:top;margin:1em}</style></head><body>\n");
        b.append("<h1>").append(esc(file.getFileName().toString())).append("</h1>\n<p>")
                .append(columns.isEmpty() ? 0 : columns.get(0).rows()).append(" rows, ").append(columns.size())
                .append(" columns</p>\n<table><tr><th>column</th><th>type</th><th>missing</th>"
                        + "<th>distinct</th><th>min</th><th>max</th><th>mean</th><th>std</th><th>median</th></tr>\n");
        for (Column c : columns) {
            b.append("<tr><td>").append(esc(c.name())).append("</td><td>").append(c.type().name().toLowerCase(Locale.ROOT))
                    .append("</td><td>").append(c.missing()).append("</td><td>").append(c.distinct()).append("</td><td>")
                    .append(num(c.min())).append("</td><td>").append(num(c.max())).append("</td><td>").append(num(c.mean()))
                    .append("</td><td>").append(num(c.std())).append("</td><td>").append(num(c.median())).append("</td></tr>\n");
        }
        b.append("</table>\n");
        for (Column c : columns) {
            b.append("<div class=\"col\"><h3>").append(esc(c.name())).append("</h3>\n");
            if (c.counts().length > 0) {
                List<String> labels = new ArrayList<>();
                for (int i = 0; i < c.counts().length; i++) {
                    labels.add(num(c.buckets()[i]));
                }
                b.append(bars(labels, c.counts(), num(c.min()) + " .. " + num(c.max())));
            } else if (!c.top().isEmpty()) {
                List<String> labels = c.top().stream().map(Map.Entry::getKey).toList();
                long[] counts = c.top().stream().mapToLong(Map.Entry::getValue).toArray();
                b.append(bars(labels, counts, "most common of " + c.distinct() + " values"));
            }
            b.append("</div>\n");
        }
        b.append("</body></html>\n");
        AtomicFiles.writeString(html, b.toString());
    }

    /** A bar chart in SVG: one bar per count, labelled underneath. */
    private static String bars(List<String> labels, long[] counts, String caption) {
        int n = counts.length, bw = Math.max(8, Math.min(40, 400 / Math.max(1, n))), h = 150;
        long max = 1;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        StringBuilder s = new StringBuilder();
        s.append("<svg width=\"").append(n * bw + 20).append("\" height=\"").append(h + 90).append("\">");
        for (int i = 0; i < n; i++) {
            int bh = (int) Math.round(h * counts[i] / (double) max);
            s.append("<rect x=\"").append(10 + i * bw).append("\" y=\"").append(h - bh).append("\" width=\"").append(bw - 2)
                    .append("\" height=\"").append(bh).append("\" fill=\"#4a7ab5\"><title>").append(esc(labels.get(i)))
                    .append(": ").append(counts[i]).append("</title></rect>");
            s.append("<text x=\"").append(10 + i * bw + bw / 2).append("\" y=\"").append(h + 8)
                    .append("\" font-size=\"9\" transform=\"rotate(60 ").append(10 + i * bw + bw / 2).append(' ').append(h + 8)
                    .append(")\">").append(esc(clip(labels.get(i), 14))).append("</text>");
        }
        s.append("</svg><br><small>").append(esc(caption)).append("</small>");
        return s.toString();
    }

    /** HTML-escapes a value from the user's file. */
    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(Character.isISOControl(ch) ? ' ' : ch);
            }
        }
        return b.toString();
    }
}
