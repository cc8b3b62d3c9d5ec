package io.github.fastdl4j.tabular.data;

import io.github.fastdl4j.common.data.CsvTable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;

/**
 * A small column store, the part of a pandas DataFrame the tabular lesson uses: named columns of
 * equal length, each either text (missing = {@code null}) or numbers (missing = NaN). Feature
 * steps add columns in place ({@link #put}); {@link #rows(int[])} selects rows into a new frame.
 */
public final class TabularFrame {

    /** One column. */
    public sealed interface Column permits Text, Numbers {
        int size();

        /** The value as a category key: null when missing, integral numbers without ".0". */
        String key(int row);

        Column rows(int[] rows);
    }

    /** A text column; {@code null} marks a missing value. */
    public record Text(String[] values) implements Column {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public String key(int row) {
            String v = values[row];
            return v == null || v.isEmpty() ? null : v;
        }

        @Override
        public Column rows(int[] rows) {
            String[] out = new String[rows.length];
            for (int i = 0; i < rows.length; i++) {
                out[i] = values[rows[i]];
            }
            return new Text(out);
        }
    }

    /** A numeric column; NaN marks a missing value. */
    public record Numbers(double[] values) implements Column {
        @Override
        public int size() {
            return values.length;
        }

        @Override
        public String key(int row) {
            return keyOf(values[row]);
        }

        @Override
        public Column rows(int[] rows) {
            double[] out = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                out[i] = values[rows[i]];
            }
            return new Numbers(out);
        }
    }

    /** The category key of a number: integral values print without a fraction ("2015", not "2015.0"). */
    public static String keyOf(double v) {
        return CsvTable.keyOf(v);
    }

    private final int rows;
    private final Map<String, Column> columns = new LinkedHashMap<>();

    public TabularFrame(int rows) {
        this.rows = rows;
    }

    public int rows() {
        return rows;
    }

    /** Adds or replaces a column. */
    public TabularFrame put(String name, Column c) {
        if (c.size() != rows) {
            throw new IllegalArgumentException("column " + name + " has " + c.size() + " rows, the frame " + rows);
        }
        columns.put(name, c);
        return this;
    }

    public TabularFrame put(String name, double[] values) {
        return put(name, new Numbers(values));
    }

    public TabularFrame put(String name, String[] values) {
        return put(name, new Text(values));
    }

    public boolean has(String name) {
        return columns.containsKey(name);
    }

    public Column column(String name) {
        Column c = columns.get(name);
        if (c == null) {
            throw new IllegalArgumentException("no column " + name + " (columns: " + columns.keySet() + ")");
        }
        return c;
    }

    /** A numeric column's values (shared, not copied). */
    public double[] numbers(String name) {
        if (column(name) instanceof Numbers n) {
            return n.values();
        }
        throw new IllegalArgumentException("column " + name + " is text, not numbers");
    }

    /** A text column's values (shared, not copied). */
    public String[] text(String name) {
        if (column(name) instanceof Text t) {
            return t.values();
        }
        throw new IllegalArgumentException("column " + name + " is numbers, not text");
    }

    public List<String> names() {
        return new ArrayList<>(columns.keySet());
    }

    /** A new frame sharing this one's columns: adding or replacing columns leaves this one as it is. */
    public TabularFrame copy() {
        TabularFrame f = new TabularFrame(rows);
        f.columns.putAll(columns);
        return f;
    }

    /** A new frame with only these of this one's columns (shared, not copied), in this frame's order. */
    public TabularFrame select(Collection<String> keep) {
        TabularFrame f = new TabularFrame(rows);
        columns.forEach((name, c) -> {
            if (keep.contains(name)) {
                f.put(name, c);
            }
        });
        return f;
    }

    /**
     * A new frame with these rows, in this order, leaving this frame empty: each column is let go
     * as soon as its rows are copied, so a million-row frame and its selection are never both
     * held whole (as {@link #rows} needs).
     */
    public TabularFrame moveRows(int[] select) {
        TabularFrame f = new TabularFrame(select.length);
        for (String name : names()) {
            f.put(name, columns.remove(name).rows(select));
        }
        return f;
    }

    /** A new frame with these rows, in this order. */
    public TabularFrame rows(int[] select) {
        TabularFrame f = new TabularFrame(select.length);
        columns.forEach((name, c) -> f.put(name, c.rows(select)));
        return f;
    }

    /** The indices of the rows where a numeric column satisfies a test. */
    public int[] where(String name, DoublePredicate test) {
        double[] v = numbers(name);
        int[] out = new int[rows];
        int k = 0;
        for (int i = 0; i < rows; i++) {
            if (test.test(v[i])) {
                out[k++] = i;
            }
        }
        return Arrays.copyOf(out, k);
    }

    @Override
    public String toString() {
        return "TabularFrame[" + rows + " rows, columns " + columns.keySet() + "]";
    }
}
