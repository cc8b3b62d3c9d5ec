package io.github.fastdl4j.tabular.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * fastai's {@code Normalize} for continuous columns: subtract the training mean, divide by the
 * training standard deviation (1 when a column is constant, so it becomes 0 rather than NaN).
 *
 * @param stats column name to {mean, std}
 */
public record Normalize(Map<String, double[]> stats) {

    public static Normalize fit(TabularFrame train, List<String> columns) {
        Map<String, double[]> stats = new LinkedHashMap<>();
        for (String c : columns) {
            double[] v = train.numbers(c);
            double mean = 0;
            for (double x : v) {
                mean += x;
            }
            mean /= Math.max(1, v.length);
            double ss = 0;
            for (double x : v) {
                ss += (x - mean) * (x - mean);
            }
            double std = Math.sqrt(ss / Math.max(1, v.length - 1));
            if (!Double.isFinite(mean) || !Double.isFinite(std)) {
                // a value near the double's limit (1e308): the model's inputs would all be 0 or NaN, and its zip unloadable
                double largest = 0;
                for (double x : v) {
                    largest = Math.abs(x) > Math.abs(largest) ? x : largest;
                }
                throw new IllegalArgumentException("continuous column " + c + " holds " + largest + ", too large to normalise "
                        + "(its standard deviation overflows a double): remove the row or mark the value missing");
            }
            stats.put(c, new double[]{mean, std > 1e-12 ? std : 1});
        }
        return new Normalize(Map.copyOf(stats));
    }

    /** Whether the column was fitted, with a finite mean and a positive standard deviation. */
    public boolean knows(String column) {
        double[] s = stats == null ? null : stats.get(column);
        return s != null && s.length == 2 && Double.isFinite(s[0]) && Double.isFinite(s[1]) && s[1] > 0;
    }

    /** The normalised value of one column's value. */
    public double apply(String column, double value) {
        double[] s = stats.get(column);
        if (s == null) {
            throw new IllegalArgumentException("Normalize was not fitted on column " + column);
        }
        return (value - s[0]) / s[1];
    }
}
