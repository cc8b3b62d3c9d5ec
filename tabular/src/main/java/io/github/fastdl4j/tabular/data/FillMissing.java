package io.github.fastdl4j.tabular.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * fastai's {@code FillMissing}: missing values of continuous columns become the training median,
 * and for each column that had missing values in the training rows a categorical
 * {@code <column>_na} column (0/1) records where they were, so the model can tell "unknown" from
 * "median". Columns with no missing training values are filled with the median too (test rows may
 * miss them) but get no {@code _na} column, as in fastai.
 *
 * @param medians   training median of every continuous column
 * @param naColumns continuous columns that get a {@code _na} indicator
 */
public record FillMissing(Map<String, Double> medians, List<String> naColumns) {

    /** Fits on the training rows. */
    public static FillMissing fit(TabularFrame train, List<String> columns) {
        Map<String, Double> medians = new LinkedHashMap<>();
        List<String> na = new ArrayList<>();
        for (String c : columns) {
            double[] v = train.numbers(c);
            double[] present = Arrays.stream(v).filter(x -> !Double.isNaN(x)).sorted().toArray();
            if (present.length < v.length) {
                na.add(c);
            }
            double median = present.length == 0 ? 0
                    : present.length % 2 == 1 ? present[present.length / 2]
                    : (present[present.length / 2 - 1] + present[present.length / 2]) / 2;
            medians.put(c, median);
        }
        return new FillMissing(Map.copyOf(medians), List.copyOf(na));
    }

    /** The names of the indicator columns this adds. */
    public List<String> indicatorNames() {
        return naColumns.stream().map(c -> c + "_na").toList();
    }

    /** Replaces the continuous columns of {@code f} with filled copies and adds the indicators. */
    public void apply(TabularFrame f) {
        for (Map.Entry<String, Double> e : medians.entrySet()) {
            double[] v = f.numbers(e.getKey());
            double[] filled = new double[v.length];
            boolean flagged = naColumns.contains(e.getKey());
            double[] flag = flagged ? new double[v.length] : null; // a million rows: no flags nobody reads
            for (int i = 0; i < v.length; i++) {
                boolean missing = Double.isNaN(v[i]);
                filled[i] = missing ? e.getValue() : v[i];
                if (flagged) {
                    flag[i] = missing ? 1 : 0;
                }
            }
            f.put(e.getKey(), filled);
            if (flagged) {
                f.put(e.getKey() + "_na", flag);
            }
        }
    }
}
