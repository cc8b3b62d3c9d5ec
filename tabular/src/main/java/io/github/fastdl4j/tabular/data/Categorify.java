package io.github.fastdl4j.tabular.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * fastai's {@code Categorify}: a vocabulary per categorical column, fitted on the training rows,
 * with index 0 for {@code #na#} (missing, and any value the training rows never had); values are
 * sorted (numerically for numeric columns) so codes are stable.
 *
 * @param vocabs column name to its vocabulary ({@code vocabs.get(c).get(0)} is {@code #na#})
 */
public record Categorify(Map<String, List<String>> vocabs) {

    public static final String NA = "#na#";

    /** Fits the vocabularies of {@code columns} on {@code train}. */
    public static Categorify fit(TabularFrame train, List<String> columns) {
        Map<String, List<String>> vocabs = new LinkedHashMap<>();
        for (String c : columns) {
            TabularFrame.Column col = train.column(c);
            Comparator<String> order = col instanceof TabularFrame.Numbers
                    ? Comparator.comparingDouble(Double::parseDouble) : Comparator.naturalOrder();
            TreeSet<String> values = new TreeSet<>(order);
            for (int i = 0; i < col.size(); i++) {
                String k = col.key(i);
                if (k != null) {
                    values.add(k);
                }
            }
            List<String> v = new ArrayList<>(values.size() + 1);
            v.add(NA);
            v.addAll(values);
            vocabs.put(c, List.copyOf(v));
        }
        return new Categorify(Map.copyOf(vocabs));
    }

    /** The codes of one column of {@code f}: 0 for missing or unseen values. */
    public int[] codes(TabularFrame f, String column) {
        Map<String, Integer> index = new HashMap<>();
        List<String> vocab = vocab(column);
        for (int i = 1; i < vocab.size(); i++) {
            index.put(vocab.get(i), i);
        }
        TabularFrame.Column col = f.column(column);
        int[] out = new int[f.rows()];
        for (int i = 0; i < out.length; i++) {
            String k = col.key(i);
            out[i] = k == null ? 0 : index.getOrDefault(k, 0);
        }
        return out;
    }

    public List<String> vocab(String column) {
        List<String> v = vocabs.get(column);
        if (v == null) {
            throw new IllegalArgumentException("Categorify was not fitted on column " + column);
        }
        return v;
    }

    /** Vocabulary size including {@code #na#}: the rows of the column's embedding. */
    public int cardinality(String column) {
        return vocab(column).size();
    }
}
